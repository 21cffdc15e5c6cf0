package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job requeued because its node was lost (cut off, or its node-runner away past the node timeout) may have run to
 * its end there all the same. When the node reports that end before the job has started again, the job ends as that
 * attempt did instead of running a second time; a kill the head asked for, a user's requeue, or a job that has
 * already started again leave it as it was.
 */
class LostAttemptOutcomeTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
    private Instant started;

    /** A job running on n1 (its only node), whose node then falls silent past the timeout: requeued. */
    private long requeuedWhileAway(dev.cadre.protocol.JobSpec.Builder spec) {
        s.heartbeat("n1", 2);
        long id = s.submit(spec);
        started = s.clock.instant();
        s.schedule();
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", started)));
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(id).state(), "requeued after the node loss, waiting its backoff");
        return id;
    }

    private Decisions nodeReports(long id, int attempt, int exit, int signal, JobState killedFor, Instant at) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, attempt, "n1", exit, signal,
                killedFor, at, killedFor == null && exit == 0 ? null : "exit " + exit)));
    }

    @Test
    void aJobWhoseLostAttemptCompletedEndsCompletedAndDoesNotRunAgain() {
        long id = requeuedWhileAway(CoreScenario.spec().maxAttempts(3));
        Instant endedThere = started.plusSeconds(20);
        s.clock.advance(Duration.ofSeconds(5));
        Decisions d = nodeReports(id, 1, 0, 0, null, endedThere);

        assertEquals(JobState.COMPLETED, s.job(id).state());
        assertEquals(0, s.job(id).exitCode());
        assertEquals(started, s.job(id).startTime(), "the attempt's start");
        assertEquals(endedThere, s.job(id).endTime(), "when it ended on its node");
        JobChange last = s.changes.get(s.changes.size() - 1);
        assertEquals(JobState.PENDING, last.previous());
        assertEquals(new AttemptRecord(id, 1, "n1", started, endedThere, JobState.COMPLETED, 0, 0, null),
                last.attempt(), "the attempt's record takes its real outcome in place of NODE_FAIL");
        assertEquals(List.of(), d.lateEnds(), "nothing left for the record to take later");
        assertTrue(d.warnings().get(0).contains("job " + id + " attempt 1, requeued when its node n1 stopped"
                + " responding, ended there on its own (COMPLETED, exit 0:0)"), d.warnings().toString());
        assertEquals("n1", s.job(id).allocation().hostnames(), "sacct's NodeList and -N see where it ran");
        assertEquals(started, s.job(id).eligibleTime(), "eligible no later than it started, not its backoff");

        s.clock.advance(Duration.ofMinutes(10));
        s.heartbeat("n1", 2);
        int sent = s.sent.size();
        s.schedule();
        assertEquals(sent, s.sent.size(), "nothing is placed: the job does not run a second time");
    }

    @Test
    void aDependentOfTheJobRunsOnItsAdoptedOutcome() {
        long id = requeuedWhileAway(CoreScenario.spec().tasks(2).maxAttempts(3));
        long next = s.submit(CoreScenario.spec().dependency("afterok:" + id));
        s.clock.advance(Duration.ofSeconds(5));
        nodeReports(id, 1, 0, 0, null, s.clock.instant());
        s.heartbeat("n1", 2);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(next).state(), "afterok is met by the attempt that completed");
    }

    @Test
    void aFailureOrALimitTheNodeEnforcedEndsTheJobSoToo() {
        long failed = requeuedWhileAway(CoreScenario.spec().maxAttempts(3));
        nodeReports(failed, 1, 3, 0, null, s.clock.instant());
        assertEquals(JobState.FAILED, s.job(failed).state());
        assertEquals("NonZeroExitCode: exit 3", s.job(failed).reason());

        CoreScenario other = new CoreScenario(PlacementPolicy.Kind.FCFS);
        other.heartbeat("n1", 2);
        long timedOut = other.submit(CoreScenario.spec().maxAttempts(3));
        other.schedule();
        other.clock.advance(Duration.ofSeconds(31));
        other.apply(other.core.tick());
        other.apply(other.core.onRunnerEvent(new RunnerEvent.RunnerFinished(timedOut, 1, "n1", 0, 9,
                JobState.TIMEOUT, other.clock.instant(), null)));
        assertEquals(JobState.TIMEOUT, other.job(timedOut).state());
        assertEquals("TimeLimit", other.job(timedOut).reason());
    }

    @Test
    void theHeadsOwnKillOfTheLostAttemptLeavesTheJobRequeued() {
        long id = requeuedWhileAway(CoreScenario.spec().maxAttempts(3));
        Decisions d = nodeReports(id, 1, 0, 9, JobState.NODE_FAIL, s.clock.instant());
        assertEquals(JobState.PENDING, s.job(id).state(), "it was stopped, not finished: it runs again");
        assertEquals(1, d.lateEnds().size(), "its record takes the kill's time alone");
        assertEquals(List.of(), d.warnings());
    }

    /**
     * Review L, findings 1, 2 and 6: only the silent node's own report of its script's own exit counts. A job whose
     * other node was lost, or that its node reported lost (a fault of its own), or an end by a signal with no reason
     * (a kill whose reason a restarted node-runner lost), or another node's word, leave the job requeued.
     */
    @Test
    void onlyTheSilentNodesOwnReportOfAnExitEndsTheJob() {
        long signalled = requeuedWhileAway(CoreScenario.spec().maxAttempts(3));
        nodeReports(signalled, 1, 0, 15, null, s.clock.instant());
        assertEquals(JobState.PENDING, s.job(signalled).state(), "a SIGTERM with no reason may be the head's kill");
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(signalled, 1, "n9", 0, 0, null,
                s.clock.instant(), null)));
        assertEquals(JobState.PENDING, s.job(signalled).state(), "only the node it ran on can say how it ended");
        nodeReports(signalled, 1, 0, 0, null, s.clock.instant());
        assertEquals(JobState.COMPLETED, s.job(signalled).state(), "its own node's report of its exit still counts");

        CoreScenario w = new CoreScenario(PlacementPolicy.Kind.FCFS);
        w.heartbeat("n1", 2);
        w.heartbeat("n2", 2);
        long wide = w.submit(CoreScenario.spec().nodes(2).tasks(4).maxAttempts(3));
        w.schedule();
        assertEquals(JobState.RUNNING, w.job(wide).state());
        String coordinator = w.job(wide).allocation().coordinator().nodeId();
        String other = coordinator.equals("n1") ? "n2" : "n1";
        w.clock.advance(Duration.ofSeconds(20));
        w.heartbeat(coordinator, 2, new RunnerEvent.RunningAttempt(wide, 1));
        w.clock.advance(Duration.ofSeconds(15));
        w.apply(w.core.tick());
        assertEquals(JobState.PENDING, w.job(wide).state(), "requeued: node " + other + " went silent");
        w.apply(w.core.onRunnerEvent(new RunnerEvent.RunnerFinished(wide, 1, coordinator, 1, 0, null,
                w.clock.instant(), null)));
        assertEquals(JobState.PENDING, w.job(wide).state(), "its mpirun failed of the loss: it runs again");

        CoreScenario own = new CoreScenario(PlacementPolicy.Kind.FCFS);
        own.heartbeat("n1", 2);
        long faulty = own.submit(CoreScenario.spec().maxAttempts(3));
        own.schedule();
        own.apply(own.core.onRunnerEvent(new RunnerEvent.RunnerFinished(faulty, 1, "n1", 0, 0, JobState.NODE_FAIL,
                own.clock.instant(), "cannot start bash on node n1")));
        assertEquals(JobState.PENDING, own.job(faulty).state());
        own.apply(own.core.onRunnerEvent(new RunnerEvent.RunnerFinished(faulty, 1, "n1", 255, 0, null,
                own.clock.instant(), null)));
        assertEquals(JobState.PENDING, own.job(faulty).state(), "the node's own fault: it runs again");
    }

    @Test
    void aJobThatStartedAgainIsNotTouchedByItsFirstAttemptsEnd() {
        long id = requeuedWhileAway(CoreScenario.spec().maxAttempts(3));
        s.heartbeat("n2", 2);
        s.clock.advance(Duration.ofMinutes(5));
        s.heartbeat("n2", 2);
        s.schedule();
        assertEquals(2, s.job(id).attempt());
        assertEquals(JobState.RUNNING, s.job(id).state());
        Decisions d = nodeReports(id, 1, 0, 0, null, s.clock.instant());
        assertEquals(JobState.RUNNING, s.job(id).state(), "the second attempt runs on");
        assertEquals(List.of(new Decisions.LateEnd(id, 1, s.clock.instant(), 0, 0, null)), d.lateEnds());
    }

    @Test
    void aRequeueTheUserAskedForStandsWhenTheNodeIsLostMeanwhile() {
        s.heartbeat("n1", 2);
        long id = s.submit(CoreScenario.spec().maxAttempts(3));
        s.schedule();
        s.apply(s.core.control().requeue(new ControlRequest.RequeueJob(id, null, false)).decisions());
        assertEquals(JobState.COMPLETING, s.job(id).state(), "the requeue's kill is on its way");
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals(JobState.REQUEUED, s.changes.stream().filter(c -> c.attempt() != null).reduce((a, b) -> b)
                .orElseThrow().attempt().state(), "the attempt ended at the user's request");
        assertNull(s.job(id).eligibleTime(), "a requeue by request waits no backoff");

        nodeReports(id, 1, 0, 0, null, s.clock.instant());
        assertEquals(JobState.PENDING, s.job(id).state(), "the user's requeue decides: it runs again");
        s.heartbeat("n1", 2);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
        assertTrue(s.sent.stream().anyMatch(m -> m instanceof NodeCommand.PlaceJob p && p.attempt() == 2));
    }
}
