package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an attempt's processes used, as the coordinator reports it with its runner-finished, goes to that attempt's
 * record however the attempt ends: on its own, killed at the user's word, requeued, lost by its node, or ended late
 * after the head had given up on it.
 */
class AttemptUsageTest {
    private static final ResourceUsage USED = new ResourceUsage(5_820_000L, 410_000L, 73_400_320L);
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    /** A job running on n1, its start confirmed. */
    private long running(dev.cadre.protocol.JobSpec.Builder spec) {
        s.heartbeat("n1", 2);
        long id = s.submit(spec);
        s.schedule();
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", s.clock.instant())));
        return id;
    }

    private Decisions finished(long id, int attempt, String node, int exit, int signal, JobState killedFor,
            ResourceUsage usage) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, attempt, node, exit, signal, killedFor,
                s.clock.instant(), null, usage)));
    }

    /** The attempt's record as the store keeps it: the last one written. */
    private AttemptRecord record(long id, int attempt) {
        AttemptRecord last = null;
        for (JobChange c : s.changes) {
            if (c.attempt() != null && c.attempt().jobId() == id && c.attempt().attempt() == attempt) {
                last = c.attempt();
            }
        }
        return last;
    }

    @Test
    void anAttemptThatEndsTakesWhatItsCoordinatorReportedItUsed() {
        long done = running(CoreScenario.spec());
        assertNull(record(done, 1).usage(), "nothing is known while it runs");
        s.clock.advance(Duration.ofSeconds(7));
        finished(done, 1, "n1", 0, 0, null, USED);
        assertEquals(JobState.COMPLETED, s.job(done).state());
        assertEquals(USED, record(done, 1).usage());

        long failed = running(CoreScenario.spec());
        ResourceUsage cpuOnly = new ResourceUsage(12L, 0L, null);
        finished(failed, 1, "n1", 3, 0, null, cpuOnly);
        assertEquals(JobState.FAILED, s.job(failed).state());
        assertEquals(cpuOnly, record(failed, 1).usage());

        long unknown = running(CoreScenario.spec());
        finished(unknown, 1, "n1", 0, 0, null, null);
        assertNull(record(unknown, 1).usage(), "a node that could not tell: none");
    }

    @Test
    void aCancelledOrRequeuedAttemptKeepsWhatItUsedUntilItsKill() {
        long cancelled = running(CoreScenario.spec());
        s.apply(s.core.cancel(cancelled).decisions());
        finished(cancelled, 1, "n1", 0, 15, JobState.CANCELLED, USED);
        assertEquals(JobState.CANCELLED, s.job(cancelled).state());
        assertEquals(USED, record(cancelled, 1).usage());

        long requeued = running(CoreScenario.spec());
        s.apply(s.core.control().requeue(new ControlRequest.RequeueJob(requeued, null, null, false, null))
                .decisions());
        finished(requeued, 1, "n1", 0, 15, JobState.REQUEUED, USED);
        assertEquals(JobState.REQUEUED, record(requeued, 1).state());
        assertEquals(USED, record(requeued, 1).usage());
    }

    @Test
    void anAttemptItsNodeLostForAFaultOfItsOwnKeepsWhatItUsed() {
        long id = running(CoreScenario.spec().maxAttempts(3));
        finished(id, 1, "n1", 0, 9, JobState.NODE_FAIL, USED);
        assertEquals(JobState.PENDING, s.job(id).state(), "requeued after the node failure");
        assertEquals(JobState.NODE_FAIL, record(id, 1).state());
        assertEquals(USED, record(id, 1).usage());
    }

    @Test
    void theLateEndOfAnAttemptTheHeadGaveUpOnCarriesItsUsage() {
        // A 2-task job, which a late end of its own does not end (it is not the kind LateOutcomes adopts: killed).
        long id = running(CoreScenario.spec().tasks(2).maxAttempts(3));
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(id).state(), "requeued when n1 fell silent");
        assertNull(record(id, 1).usage(), "closed by the head, with no word from the node");

        s.clock.advance(Duration.ofSeconds(5));
        Decisions late = finished(id, 1, "n1", 0, 9, JobState.NODE_FAIL, USED);
        assertEquals(List.of(new Decisions.LateEnd(id, 1, s.clock.instant(), 0, 9, USED)), late.lateEnds());
    }

    @Test
    void aJobEndedByTheLateOutcomeOfItsLostAttemptKeepsItsUsage() {
        s.heartbeat("n1", 2);
        long id = s.submit(CoreScenario.spec().maxAttempts(3));
        Instant started = s.clock.instant();
        s.schedule();
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", started)));
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(id).state());

        s.clock.advance(Duration.ofSeconds(5));
        Decisions d = finished(id, 1, "n1", 0, 0, null, USED);
        assertEquals(JobState.COMPLETED, s.job(id).state(), "the job ends as its lost attempt did");
        assertEquals(List.of(), d.lateEnds());
        assertEquals(new AttemptRecord(id, 1, "n1", started, s.clock.instant(), JobState.COMPLETED, 0, 0, null, USED),
                record(id, 1));
    }
}
