package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job-state-changed events of a named cancel say who named it (docs/protocol.md 8.1): a pending job's CANCELLED,
 * a running one's COMPLETING for the kill and the CANCELLED the node's confirmation brings, a restart of the head in
 * between included. The scheduler's own ends, and a kill whose job ended otherwise, name nobody.
 */
class CancelledByEventsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private List<JobEvent.JobStateChanged> cancel(long job, String user) {
        var o = s.core.control().cancel(new ControlRequest.CancelJob(job, null, null, user, null));
        return s.apply(o.decisions()).events();
    }

    /** The node reports the attempt killed (for {@code as}) to this core. */
    private List<JobEvent.JobStateChanged> killed(SchedulerCore core, long job, JobState as) {
        JobRecord j = s.job(job);
        return s.apply(core.onRunnerEvent(new RunnerEvent.RunnerFinished(job, j.attempt(),
                j.allocation().coordinator().nodeId(), 0, 15, as, s.clock.instant(), null))).events();
    }

    private long running() {
        s.node("n1", 1);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state());
        return job;
    }

    private static JobEvent.JobStateChanged only(List<JobEvent.JobStateChanged> events, JobState state) {
        List<JobEvent.JobStateChanged> found = events.stream().filter(e -> e.state() == state).toList();
        assertEquals(1, found.size(), state + " in " + events);
        return found.get(0);
    }

    @Test
    void aPendingJobsCancelNamesItsUserOnTheCancelledEvent() {
        long job = s.submit(CoreScenario.spec());
        long anonymous = s.submit(CoreScenario.spec());

        assertEquals("alice", only(cancel(job, "alice"), JobState.CANCELLED).cancelledBy());
        assertNull(only(cancel(anonymous, null), JobState.CANCELLED).cancelledBy(), "a cancel naming nobody");
    }

    @Test
    void aRunningJobsKillAndTheConfirmationThatEndsItBothNameTheUser() {
        long job = running();

        JobEvent.JobStateChanged kill = only(cancel(job, "bob"), JobState.COMPLETING);
        assertEquals("bob", kill.cancelledBy());
        JobEvent.JobStateChanged end = only(killed(s.core, job, JobState.CANCELLED), JobState.CANCELLED);
        assertEquals(JobState.COMPLETING, end.previous());
        assertEquals("bob", end.cancelledBy(), "the final CANCELLED is what a watcher shows");
    }

    @Test
    void theConfirmationAfterARestartOfTheHeadNamesTheUserTheStoreKept() {
        long job = running();
        cancel(job, "bob");
        SchedulerCore restarted = new SchedulerCore(s.clock, SchedulerSettings.defaults(Duration.ofSeconds(30))
                .withPolicy(PlacementPolicy.Kind.FCFS), (i, a) -> "t", s.history);
        restarted.recover(List.of(s.job(job)), s.core.nodes(), job);

        assertEquals("bob", only(killed(restarted, job, JobState.CANCELLED), JobState.CANCELLED).cancelledBy());
    }

    @Test
    void aCancelOfAJobBeingRequeuedMovesNoStateYetItsEndNamesTheUser() {
        long job = running();
        s.apply(s.core.control().requeue(new ControlRequest.RequeueJob(job, null, false)).decisions());
        assertEquals(JobState.COMPLETING, s.job(job).state());

        assertTrue(cancel(job, "carol").isEmpty(), "still COMPLETING: no job-state-changed");
        // The node kept the requeue's reason for its kill; the cancel decides the end.
        assertEquals("carol", only(killed(s.core, job, JobState.REQUEUED), JobState.CANCELLED).cancelledBy());
    }

    @Test
    void aKillThatEndsOtherwiseNamesNobodyOnThatEnd() {
        long job = running();
        cancel(job, "bob");

        JobEvent.JobStateChanged end = only(killed(s.core, job, JobState.TIMEOUT), JobState.TIMEOUT);
        assertNull(end.cancelledBy(), "its time limit struck first: nobody cancelled it");
        JobChange last = s.changes.get(s.changes.size() - 1);
        assertNull(last.cancelledBy());
    }

    @Test
    void theSchedulersOwnCancelsNameNobody() {
        long first = s.submit(CoreScenario.spec());
        long dependent = s.submit(CoreScenario.spec().dependency("afterok:" + first));
        cancel(first, "alice");
        s.node("n1", 1);
        JobEvent.JobStateChanged never = only(s.schedule().events().stream().filter(e -> e.jobId() == dependent)
                .toList(), JobState.CANCELLED);
        assertEquals(Eligibility.NEVER_SATISFIED, never.reason());
        assertNull(never.cancelledBy());

        long instance = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(instance).state());
        assertNull(only(s.apply(s.core.cancel(instance).decisions()).events(), JobState.COMPLETING).cancelledBy());
        assertNull(only(killed(s.core, instance, JobState.CANCELLED), JobState.CANCELLED).cancelledBy());
    }
}
