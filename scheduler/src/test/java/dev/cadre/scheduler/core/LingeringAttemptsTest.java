package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's slots stay taken after a multi-node job ended there until the node says its processes are gone. */
class LingeringAttemptsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private SchedulerCore core;

    @BeforeEach
    void setUp() {
        core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10), (id, a) -> "t");
        core.onRunnerEvent(heartbeat("n1"));
        core.onRunnerEvent(heartbeat("n2"));
        admit(1, 2, 4);
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));
        // Two jobs that each fill one node wait behind it.
        admit(2, 1, 2);
        admit(3, 1, 2);
        assertEquals(List.of(), started(core.schedule()));
    }

    private RunnerEvent.NodeHeartbeat heartbeat(String node, RunnerEvent.RunningAttempt... running) {
        return new RunnerEvent.NodeHeartbeat(node, "host-" + node, List.of(), 2, 1024, 0, List.of(running),
                clock.instant());
    }

    private void admit(long id, int nodes, int tasks) {
        JobSpec spec = JobSpec.builder().name("j" + id).user("u").script("#!/bin/sh\n").workDir("/tmp")
                .nodes(nodes).tasks(tasks).maxAttempts(3).timeLimitSeconds(600L).build();
        core.admitted(new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null));
    }

    /** The job ids a pass started, with the node each went to. */
    private static List<String> started(Decisions d) {
        return d.messages().stream().filter(o -> o.message() instanceof NodeCommand.PlaceJob)
                .map(o -> ((NodeCommand.PlaceJob) o.message()).jobId() + "@" + o.destination()).toList();
    }

    private Decisions finishOnCoordinator() {
        return core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
    }

    @Test
    void theOtherNodesSlotsStayTakenUntilItReleasesTheAttempt() {
        Decisions ended = finishOnCoordinator();
        assertEquals(List.of("cadre.node.n2"), ended.messages().stream()
                .filter(o -> o.message() instanceof NodeCommand.KillJob).map(Outgoing::destination).toList());
        assertEquals(List.of("2@cadre.node.n1"), started(core.schedule()), "n1 is done with it; n2 may not be");
        assertEquals(List.of(), started(core.schedule()));

        Decisions released = core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 1, "n2", clock.instant()));
        assertTrue(released.freesRoom(), "the service runs a pass on it");
        assertEquals(List.of("3@cadre.node.n2"), started(core.schedule()));
    }

    @Test
    void aReleaseFromAnotherNodeOrForAnotherAttemptGivesNothingBack() {
        finishOnCoordinator();
        core.schedule();
        assertFalse(core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 2, "n2", clock.instant())).freesRoom());
        assertFalse(core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 1, "n3", clock.instant())).freesRoom());
        assertFalse(core.onRunnerEvent(new RunnerEvent.RunnerReleased(9, 1, null, clock.instant())).freesRoom());
        assertEquals(List.of(), started(core.schedule()));
    }

    @Test
    void aHeartbeatThatNoLongerListsTheAttemptGivesTheSlotsBackAndOneStillListingItIsNotKilledAgain() {
        finishOnCoordinator();
        core.schedule();
        Decisions stillStopping = core.onRunnerEvent(heartbeat("n2", new RunnerEvent.RunningAttempt(1, 1)));
        assertEquals(List.of(), stillStopping.messages(), "its kill is under way; one kill-job is enough");
        assertEquals(List.of(), started(core.schedule()));

        assertTrue(core.onRunnerEvent(heartbeat("n2")).freesRoom());
        assertEquals(List.of("3@cadre.node.n2"), started(core.schedule()));
    }

    @Test
    void aRequeuedAttemptHoldsEveryNodeUntilEachConfirms() {
        clock.advance(Duration.ofSeconds(15));
        core.onRunnerEvent(heartbeat("n1", new RunnerEvent.RunningAttempt(1, 1)));
        clock.advance(Duration.ofSeconds(5));
        Decisions failed = core.tick(); // n2 silent for 20 s: DOWN, and the job requeued after a backoff
        assertEquals(JobState.PENDING, failed.changes().get(failed.changes().size() - 1).job().state());
        core.onRunnerEvent(heartbeat("n2"));
        assertEquals(List.of("2@cadre.node.n2"), started(core.schedule()),
                "n2 was DOWN: what it held is not waited for, while n1 is still stopping the attempt");

        core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 15, JobState.NODE_FAIL, clock.instant()));
        assertEquals(List.of("3@cadre.node.n1"), started(core.schedule()),
                "the coordinator's late runner-finished is its release");
    }

    @Test
    void slotsNobodyConfirmsComeBackAfterTheLimitWithAWarning() {
        finishOnCoordinator();
        core.schedule();
        clock.advance(LingeringAttempts.LIMIT.minusSeconds(1));
        core.onRunnerEvent(heartbeat("n1"));
        core.onRunnerEvent(heartbeat("n2", new RunnerEvent.RunningAttempt(1, 1)));
        assertTrue(core.tick().warnings().isEmpty());
        assertEquals(List.of(), started(core.schedule()));

        clock.advance(Duration.ofSeconds(1));
        Decisions expired = core.tick();
        assertEquals(List.of("no word of the kill of job 1 attempt 1 on node n2 in 65 minutes; its slots are free"
                + " again"), expired.warnings());
        assertTrue(expired.freesRoom());
        assertEquals(List.of("3@cadre.node.n2"), started(core.schedule()));
    }

    @Test
    void aSingleNodeJobLeavesNothingBehind() {
        core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 1, "n2", clock.instant()));
        finishOnCoordinator();
        core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 1, "n2", clock.instant()));
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(2, 1, "n1", clock.instant()));
        Decisions ended = core.onRunnerEvent(new RunnerEvent.RunnerFinished(2, 1, "n1", 0, 0, null,
                clock.instant()));
        assertEquals(List.of(), ended.messages(), "no kill-job for a job with one node");
        assertFalse(ended.freesRoom());
    }
}
