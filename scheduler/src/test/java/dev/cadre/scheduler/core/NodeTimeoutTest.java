package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node timeout judges the nodes' silence, not the head's own: a head that was not looking kills nothing. */
class NodeTimeoutTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final SchedulerCore core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10),
            (id, a) -> "t");

    private void heartbeat(String id, RunnerEvent.RunningAttempt... running) {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, "host-" + id, List.of(), 2, 1024, 0, List.of(running),
                clock.instant()));
    }

    private void runningJob() {
        JobSpec spec = JobSpec.builder().name("j1").user("u").script("#!/bin/sh\n").workDir("/tmp").tasks(1)
                .maxAttempts(2).build();
        core.admitted(new JobRecord(1, "k1", spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null));
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));
    }

    /** Ticks once a second for this long, as the scheduler's loop does. */
    private Decisions tickEverySecond(int seconds) {
        Decisions all = new Decisions();
        for (int i = 0; i < seconds; i++) {
            clock.advance(Duration.ofSeconds(1));
            all.addAll(core.tick());
        }
        return all;
    }

    @Test
    void aHeadThatWasNotLookingGivesItsNodesAWholeTimeoutAgain() {
        heartbeat("n1");
        runningJob();
        assertTrue(tickEverySecond(3).isEmpty());
        clock.advance(Duration.ofMinutes(30));
        assertTrue(core.tick().isEmpty(), "30 minutes asleep: the heartbeats wait unread, nobody is dead");
        assertEquals(JobState.RUNNING, core.job(1).orElseThrow().state());
        assertTrue(tickEverySecond(9).isEmpty(), "a whole timeout again from the wake-up");
        heartbeat("n1", new RunnerEvent.RunningAttempt(1, 1));
        assertTrue(tickEverySecond(9).isEmpty());
        assertEquals(JobState.RUNNING, core.job(1).orElseThrow().state(), "the job went on through it");
    }

    @Test
    void aNodeSilentWhileTheHeadLooksStillGoesDown() {
        heartbeat("n1");
        runningJob();
        assertTrue(tickEverySecond(1).isEmpty());
        clock.advance(Duration.ofMinutes(30));
        assertTrue(core.tick().isEmpty());
        Decisions d = tickEverySecond(11);
        assertEquals(List.of(NodeRecord.NodeState.DOWN), d.nodes().stream().map(NodeRecord::state).toList(),
                "silent for a whole timeout after the wake-up");
        assertEquals(JobState.PENDING, core.job(1).orElseThrow().state(), "its job requeued");
    }
}
