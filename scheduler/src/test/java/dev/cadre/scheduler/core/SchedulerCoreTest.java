package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerCoreTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private SchedulerCore core;

    @BeforeEach
    void setUp() {
        core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10), (id, a) -> "token-" + id + "-" + a);
    }

    private static JobRecord pending(long id, int tasks, int maxAttempts) {
        JobSpec spec = JobSpec.builder().name("j" + id).user("u").script("#!/bin/sh\n").workDir("/tmp")
                .tasks(tasks).maxAttempts(maxAttempts).build();
        return new JobRecord(id, "k" + id, spec, JobState.PENDING, "None", 0, null, false, null, null,
                Instant.parse("2026-11-21T09:00:00Z"), null, null);
    }

    private RunnerEvent.NodeHeartbeat heartbeat(String node, int cores, RunnerEvent.RunningAttempt... running) {
        return new RunnerEvent.NodeHeartbeat(node, "host-" + node, List.of(), cores, 1024, 0, List.of(running),
                clock.instant());
    }

    /** One node with the given cores, jobs 1, 2, ... asking for the given tasks, then one pass. */
    private Decisions nodeWithQueue(int cores, int... tasks) {
        core.onRunnerEvent(heartbeat("n1", cores));
        for (int i = 0; i < tasks.length; i++) {
            core.admitted(pending(i + 1, tasks[i], 1));
        }
        return core.schedule();
    }

    private static JobChange last(Decisions d, long jobId) {
        return d.changes().stream().filter(c -> c.job().id() == jobId).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aBlockedQueueRelabelsOnlyJobsWhoseReasonChanges() {
        Decisions first = nodeWithQueue(2, 2, 2, 1);
        assertEquals("Priority", last(first, 3).job().reason());
        core.admitted(pending(4, 1, 1));
        Decisions d = core.schedule();
        // Only the newcomer changes; jobs 2 and 3 already wait for Resources and Priority.
        assertEquals(List.of(4L), d.changes().stream().map(c -> c.job().id()).toList());
        assertEquals("Priority", last(d, 4).job().reason());

        Decisions ended = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
        ended.addAll(core.schedule());
        assertEquals(JobState.RUNNING, last(ended, 2).job().state());
        assertEquals("Resources", last(ended, 3).job().reason());
        assertEquals(List.of(1L, 2L, 3L), ended.changes().stream().map(c -> c.job().id()).distinct().sorted().toList());
    }

    @Test
    void aTwoNodeAttemptIsPlacedOnBothAndTornDownOnBothWhenEitherFails() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.onRunnerEvent(heartbeat("n2", 2));
        JobSpec spec = pending(1, 4, 2).spec().toBuilder().nodes(2).build();
        core.admitted(new JobRecord(1, "k1", spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null));
        Decisions placed = core.schedule();
        assertEquals(List.of("cadre.node.n1", "cadre.node.n2"), placed.messages().stream()
                .filter(o -> o.message() instanceof NodeCommand.PlaceJob).map(Outgoing::destination).toList());
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));

        clock.advance(Duration.ofSeconds(8));
        core.onRunnerEvent(heartbeat("n1", 2, new RunnerEvent.RunningAttempt(1, 1)));
        clock.advance(Duration.ofSeconds(5));
        Decisions failed = core.tick();
        assertEquals(List.of("cadre.node.n1", "cadre.node.n2"), failed.messages().stream()
                .filter(o -> o.message() instanceof NodeCommand.KillJob).map(Outgoing::destination).toList(),
                "the attempt dies everywhere, the surviving coordinator included");
        assertEquals(JobState.PENDING, last(failed, 1).job().state(), "requeued: one attempt of two used");

        Decisions ended = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
        assertEquals(List.of(), ended.changes(), "the old attempt's end changes nothing");
    }

    /** Job 1, two attempts allowed, running on n1 (coordinator) and n2. */
    private void twoNodeJobRunning() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.onRunnerEvent(heartbeat("n2", 2));
        JobSpec spec = pending(1, 4, 2).spec().toBuilder().nodes(2).build();
        core.admitted(new JobRecord(1, "k1", spec, JobState.PENDING, "None", 0, null, false, null, null,
                clock.instant(), null, null));
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));
    }

    @Test
    void aNodeThatRestartedAndNoLongerHoldsItsPartOfAnAttemptFailsIt() {
        twoNodeJobRunning();
        assertEquals(List.of(), core.onRunnerEvent(heartbeat("n2", 2)).changes(),
                "n2 may not have taken its place-job yet");
        assertEquals(List.of(), core.onRunnerEvent(heartbeat("n2", 2, new RunnerEvent.RunningAttempt(1, 1)))
                .changes());

        clock.advance(Duration.ofSeconds(11));
        Decisions asked = core.onRunnerEvent(heartbeat("n2", 2));
        assertEquals(List.of(), asked.changes(), "the coordinator is asked first: the attempt may have ended");
        assertEquals(new Outgoing("cadre.node.n1", new NodeCommand.QueryAttempt(1, 1,
                NodeMessages.jobKey(core.job(1).orElseThrow()))), asked.messages().get(0));
        // The coordinator still runs it: it has no end to give, and n2's part is gone.
        Decisions lost = core.onRunnerEvent(heartbeat("n1", 2, new RunnerEvent.RunningAttempt(1, 1)));
        assertEquals(JobState.PENDING, last(lost, 1).job().state(), "requeued after the node lost its part");
        assertTrue(lost.changes().stream().anyMatch(c -> c.attempt() != null
                && c.attempt().state() == JobState.NODE_FAIL
                && c.attempt().error().contains("node host-n2 no longer holds attempt 1")), "" + lost.changes());
    }

    @Test
    void aCancelledAttemptReleasedByItsOtherNodesEndsOnlyWhenTheCoordinatorConfirms() {
        twoNodeJobRunning();
        clock.advance(Duration.ofSeconds(20));
        core.cancel(1);
        assertEquals(List.of(), core.onRunnerEvent(heartbeat("n2", 2)).changes(), "n2 released it on kill-job");
        Decisions ended = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 15, JobState.CANCELLED,
                clock.instant()));
        assertEquals(JobState.CANCELLED, last(ended, 1).job().state());
    }

    private static final JobSpec NEWCOMER = JobSpec.builder().name("n").user("alice").script("#!/bin/sh\ntrue\n")
            .workDir("/tmp").build();

    @Test
    void aNewcomerBehindABlockedQueueIsAdmittedWaitingForPriority() {
        assertEquals("None", core.reasonForNewJob(NEWCOMER), "nothing pending: the next pass decides");
        nodeWithQueue(2, 2, 2);
        assertEquals("Priority", core.reasonForNewJob(NEWCOMER));
        assertEquals("JobHeldUser", core.reasonForNewJob(NEWCOMER.toBuilder().hold(JobSpec.HOLD_USER).build()),
                "a held newcomer waits for its release, not its turn");
        assertEquals("JobHeldAdmin", core.reasonForNewJob(NEWCOMER.toBuilder().hold(JobSpec.HOLD_ADMIN).build()));
        JobRecord newcomer = pending(3, 1, 1).withState(JobState.PENDING, core.reasonForNewJob(NEWCOMER));
        core.admitted(newcomer);
        assertEquals(List.of(), core.schedule().changes(), "the newcomer's reason was right; nothing to relabel");

        core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerFinished(2, 1, "n1", 0, 0, null, clock.instant()));
        core.schedule();
        assertEquals("None", core.reasonForNewJob(NEWCOMER), "a queue that drained blocks nobody");
    }

    @Test
    void placesInOrderAndBlocksBehindTheFirstJobThatDoesNotFit() {
        Decisions d = nodeWithQueue(4, 3, 2, 1);
        assertEquals(JobState.RUNNING, last(d, 1).job().state());
        assertEquals("Resources", last(d, 2).job().reason());
        // Job 3 would fit in the one free core, but FCFS never lets it overtake job 2.
        assertEquals("Priority", last(d, 3).job().reason());
        var place = assertInstanceOf(NodeCommand.PlaceJob.class, d.messages().get(0).message());
        assertEquals("cadre.node.n1", d.messages().get(0).destination());
        assertEquals(1, place.attempt());
        assertEquals("token-1-1", place.execToken());
        assertEquals(3, place.allocation().coordinator().cpus());
    }

    @Test
    void aFinishedJobFreesItsCoresForTheNext() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 2, 1));
        core.admitted(pending(2, 2, 1));
        core.schedule();
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));
        Decisions end = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
        assertEquals(JobState.COMPLETED, last(end, 1).job().state());
        assertEquals(JobState.COMPLETED, last(end, 1).attempt().state());
        assertEquals(JobState.RUNNING, last(core.schedule(), 2).job().state());
    }

    @Test
    void exitCodesAndSignalsDecideTheEndState() {
        core.onRunnerEvent(heartbeat("n1", 8));
        for (long id = 1; id <= 3; id++) {
            core.admitted(pending(id, 1, 1));
        }
        core.schedule();
        var failed = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 3, 0, null, clock.instant()));
        assertEquals(JobState.FAILED, last(failed, 1).job().state());
        assertEquals(3, last(failed, 1).job().exitCode());
        var signalled = core.onRunnerEvent(new RunnerEvent.RunnerFinished(2, 1, "n1", 0, 9, null, clock.instant()));
        assertEquals(JobState.FAILED, last(signalled, 2).job().state());
        assertEquals(9, last(signalled, 2).job().signal());
        var timeout = core.onRunnerEvent(new RunnerEvent.RunnerFinished(3, 1, "n1", 0, 15, JobState.TIMEOUT,
                clock.instant()));
        assertEquals(JobState.TIMEOUT, last(timeout, 3).job().state());
    }

    @Test
    void whatTheNodeKnowsOfAFailureBecomesTheAttemptsError() {
        core.onRunnerEvent(heartbeat("n1", 8));
        core.admitted(pending(1, 1, 1));
        core.admitted(pending(2, 1, 1));
        core.schedule();
        String why = "cadre rsh: n2 did not answer within 10 s (its node-runner is down or unreachable)";
        var failed = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 1, 0, null, clock.instant(), why));
        assertEquals(JobState.FAILED, last(failed, 1).job().state());
        assertEquals(why, last(failed, 1).attempt().error());
        assertEquals("NonZeroExitCode: " + why, last(failed, 1).job().reason());
        var completed = core.onRunnerEvent(new RunnerEvent.RunnerFinished(2, 1, "n1", 0, 0, null, clock.instant(),
                "an agent failed, but the job recovered"));
        assertEquals(JobState.COMPLETED, last(completed, 2).job().state());
        assertEquals(null, last(completed, 2).attempt().error(), "a completed job has no error");
    }

    @Test
    void cancellingRunningJobKillsItAndEndsWhenTheNodeConfirms() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 1, 1));
        core.admitted(pending(2, 4, 1));
        core.schedule();
        var running = core.cancel(1);
        assertTrue(running.result().ok());
        assertEquals(JobState.COMPLETING, last(running.decisions(), 1).job().state());
        var kill = assertInstanceOf(NodeCommand.KillJob.class, running.decisions().messages().get(0).message());
        assertEquals(JobState.CANCELLED, kill.reason());
        // The script exited by itself as the kill arrived: the user's cancel still decides.
        var end = core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 1, "n1", 0, 0, null, clock.instant()));
        assertEquals(JobState.CANCELLED, last(end, 1).job().state());
        var pending = core.cancel(2);
        assertEquals(JobState.CANCELLED, last(pending.decisions(), 2).job().state());
        assertTrue(pending.decisions().messages().isEmpty());
        assertFalse(core.cancel(2).result().ok());
        assertFalse(core.cancel(99).result().ok());
    }

    @Test
    void aSignalGoesToARunningJobsCoordinatorAndAWaitingJobIsRefused() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 1, 1));
        core.admitted(pending(2, 4, 1));
        core.schedule();
        var sent = core.control().signal(new ControlRequest.SignalJob(1, null, "USR1", true));
        assertTrue(sent.result().ok());
        assertEquals("cadre.node.n1", sent.decisions().messages().get(0).destination());
        assertEquals(new NodeCommand.SignalAttempt(1, 1, "USR1", true), sent.decisions().messages().get(0).message());
        assertTrue(sent.decisions().changes().isEmpty(), "a signal changes no job's state");
        var waiting = core.control().signal(new ControlRequest.SignalJob(2, null, "TERM", false));
        assertFalse(waiting.result().ok());
        assertEquals(JobState.PENDING, waiting.result().state());
        assertTrue(waiting.decisions().messages().isEmpty());
        assertFalse(core.control().signal(new ControlRequest.SignalJob(99, null, "TERM", false)).result().ok());
    }

    @Test
    void aSignalThatIsNoneIsRefusedNamingTheFieldAndNothingIsSent() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 1, 1));
        core.schedule();
        for (String bad : Arrays.asList(null, "", "NOPE", "999", "-9", "0", "65", "usr1", "SIG", "x".repeat(100_000))) {
            var refused = core.control().signal(new ControlRequest.SignalJob(1, null, bad, false));
            assertFalse(refused.result().ok(), bad);
            assertTrue(refused.result().reason().startsWith("signal: "), refused.result().reason());
            assertTrue(refused.result().reason().length() < 400, "a bad value is not echoed whole");
            assertTrue(refused.decisions().messages().isEmpty(), "nothing sent for " + bad);
        }
        for (String good : List.of("USR1", "SIGUSR1", "SEGV", "64", "9")) {
            var sent = core.control().signal(new ControlRequest.SignalJob(1, null, good, false));
            assertTrue(sent.result().ok(), good + ": " + sent.result().reason());
            assertEquals(1, sent.decisions().messages().size());
        }
    }

    @Test
    void silentNodeGoesDownAndItsJobRequeuesWhileAttemptsRemain() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 1, 2));
        core.admitted(pending(2, 1, 1));
        core.schedule();
        clock.advance(Duration.ofSeconds(5));
        assertTrue(core.tick().isEmpty());
        clock.advance(Duration.ofSeconds(6));
        Decisions d = core.tick();
        assertEquals(NodeRecord.NodeState.DOWN, d.nodes().get(0).state());
        assertEquals(JobState.PENDING, last(d, 1).job().state());
        assertEquals(JobState.NODE_FAIL, last(d, 2).job().state());
        assertTrue(last(d, 2).job().reason().contains("stopped responding"));
        assertTrue(core.schedule().messages().isEmpty(), "nothing may start on a DOWN node");
        core.onRunnerEvent(heartbeat("n1", 2));
        assertTrue(core.schedule().messages().isEmpty(), "a requeued job backs off before its next attempt");
        assertEquals("BeginTime", core.job(1).orElseThrow().reason());
        clock.advance(Duration.ofSeconds(10));
        core.onRunnerEvent(heartbeat("n1", 2));
        var again = assertInstanceOf(NodeCommand.PlaceJob.class, core.schedule().messages().get(0).message());
        assertEquals(2, again.attempt());
    }

    @Test
    void heartbeatWithoutAConfirmedJobMeansTheNodeLostIt() {
        core.onRunnerEvent(heartbeat("n1", 2));
        core.admitted(pending(1, 1, 1));
        core.schedule();
        // Not yet confirmed: the place-job may still be on its way, so a heartbeat without it changes nothing.
        assertTrue(core.onRunnerEvent(heartbeat("n1", 2)).changes().isEmpty());
        core.onRunnerEvent(new RunnerEvent.RunnerRunning(1, 1, "n1", clock.instant()));
        assertTrue(core.onRunnerEvent(heartbeat("n1", 2, new RunnerEvent.RunningAttempt(1, 1))).changes().isEmpty());
        Decisions asked = core.onRunnerEvent(heartbeat("n1", 2));
        assertTrue(asked.changes().isEmpty(), "the node is asked how it ended first");
        assertInstanceOf(NodeCommand.QueryAttempt.class, asked.messages().get(0).message());
        // It has no record of its end.
        Decisions lost = core.onRunnerEvent(new RunnerEvent.RunnerReleased(1, 1, "n1", clock.instant()));
        assertEquals(JobState.NODE_FAIL, last(lost, 1).job().state());
    }

    @Test
    void attemptsTheSchedulerDoesNotKnowAreKilled() {
        Decisions d = core.onRunnerEvent(heartbeat("n1", 2, new RunnerEvent.RunningAttempt(42, 3)));
        var kill = assertInstanceOf(NodeCommand.KillJob.class, d.messages().get(0).message());
        assertEquals(42, kill.jobId());
    }

    @Test
    void recoveryResendsUnconfirmedPlacementsAndPendingKills() {
        core.onRunnerEvent(heartbeat("n1", 4));
        core.admitted(pending(1, 1, 1));
        core.admitted(pending(2, 1, 1));
        core.schedule();
        JobRecord placed = core.job(1).orElseThrow();
        JobRecord stopping = core.cancel(2).decisions().changes().get(0).job();
        SchedulerCore restarted = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10), (i, a) -> "t");
        Decisions d = restarted.recover(List.of(placed, stopping), core.nodes(), 2);
        assertInstanceOf(NodeCommand.PlaceJob.class, d.messages().get(0).message());
        assertInstanceOf(NodeCommand.KillJob.class, d.messages().get(1).message());
        // A restarted head gives known nodes a full timeout to report before calling them DOWN.
        clock.advance(Duration.ofSeconds(9));
        assertTrue(restarted.tick().isEmpty());
    }

    @Test
    void staleEventsOfEarlierAttemptsAreIgnored() {
        core.onRunnerEvent(heartbeat("n1", 1));
        core.admitted(pending(1, 1, 1));
        core.schedule();
        assertTrue(core.onRunnerEvent(new RunnerEvent.RunnerFinished(1, 7, "n1", 0, 0, null, clock.instant()))
                .isEmpty());
        assertNull(core.job(1).orElseThrow().endTime());
    }

    @Test
    void everyDecidedChangeFollowsTheTransitionTable() {
        core.onRunnerEvent(heartbeat("n1", 2));
        for (long id = 1; id <= 6; id++) {
            core.admitted(pending(id, 1, 2));
        }
        Decisions all = new Decisions();
        all.addAll(core.schedule());
        all.addAll(core.cancel(1).decisions());
        all.addAll(core.cancel(3).decisions());
        clock.advance(Duration.ofSeconds(20));
        all.addAll(core.tick());
        for (JobChange c : all.changes()) {
            if (c.movesState()) {
                assertTrue(JobTransitions.isAllowed(c.previous(), c.job().state()), c.toString());
            }
        }
    }
}
