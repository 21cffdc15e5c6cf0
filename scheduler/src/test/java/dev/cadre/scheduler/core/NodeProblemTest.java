package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that cannot run an attempt for a fault of its own (its cgroup directory cannot be made) reports it
 * runner-finished with killedFor NODE_FAIL: the job is requeued as after a node failure while attempts remain, and
 * ends NODE_FAIL after, never FAILED as if its script had failed.
 */
class NodeProblemTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final SchedulerCore core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10),
            (id, a) -> "t");

    private void placed(int maxAttempts) {
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host-n1", List.of(), 2, 1024, 0, List.of(),
                clock.instant()));
        JobSpec spec = JobSpec.builder().name("j1").user("u").script("#!/bin/sh\n").workDir("/tmp").tasks(1)
                .maxAttempts(maxAttempts).build();
        core.admitted(new JobRecord(1, "k1", spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null));
        core.schedule();
    }

    private Decisions lostToTheNode() {
        return core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, JobState.NODE_FAIL,
                clock.instant(), "cannot create the cgroup /sys/fs/cgroup/cadre/node-x/1-1 on n1"));
    }

    @Test
    void theJobIsRequeuedWhileAttemptsRemain() {
        placed(2);
        Decisions d = lostToTheNode();
        JobRecord job = core.job(1).orElseThrow();
        assertEquals(JobState.PENDING, job.state());
        assertEquals("BeginTime", job.reason(), "after a node failure's backoff");
        JobChange closed = d.changes().stream().filter(c -> c.attempt() != null).findFirst().orElseThrow();
        assertEquals(JobState.NODE_FAIL, closed.attempt().state());
        assertTrue(closed.attempt().error().startsWith("cannot create the cgroup"), closed.attempt().error());
    }

    @Test
    void theJobEndsNodeFailOnceItsAttemptsAreSpent() {
        placed(1);
        Decisions d = lostToTheNode();
        assertTrue(core.job(1).isEmpty(), "ended");
        JobRecord ended = d.changes().get(d.changes().size() - 1).job();
        assertEquals(JobState.NODE_FAIL, ended.state());
        assertTrue(ended.reason().startsWith("NodeFail"), ended.reason());
    }
}
