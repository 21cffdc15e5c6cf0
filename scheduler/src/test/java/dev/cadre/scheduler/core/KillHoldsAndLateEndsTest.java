package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 110, findings 4 and 5: what the core holds for a kill not yet confirmed is what the views show as allocated
 * (sinfo must not show the node idle), and the end a node reports for an attempt the head had already closed as
 * NODE_FAIL is handed on for that attempt's record alone.
 */
class KillHoldsAndLateEndsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(RunnerEvent.RunningAttempt... running) {
        return s.heartbeat("n1", 2, running);
    }

    /** A 2-core job on n1, running, whose node then falls silent past the timeout: requeued while n1 still runs it. */
    private long requeuedWhileAway() {
        heartbeat();
        long id = s.submit(CoreScenario.spec().tasks(2).maxAttempts(3));
        s.schedule();
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, 1, "n1", s.clock.instant())));
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(id).state());
        return id;
    }

    @Test
    void theCoresOfAStaleAttemptAreHeldForTheViewsUntilItsKillIsConfirmed() {
        assertEquals(List.of(), s.core.killHolds());
        long id = requeuedWhileAway();
        Instant down = s.clock.instant();
        s.clock.advance(Duration.ofSeconds(9));
        heartbeat(new RunnerEvent.RunningAttempt(id, 1));
        assertEquals(List.of(new KillHold(id, 1, new Allocation.NodeSlots("n1", "n1", 2, 2, 0, 0), down)),
                s.core.killHolds(), "held since it ended for the head, while the node runs it on");

        s.clock.advance(Duration.ofSeconds(5));
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 9, JobState.NODE_FAIL,
                s.clock.instant())));
        assertEquals(List.of(), s.core.killHolds(), "the kill is confirmed");
    }

    @Test
    void aHoldNobodyConfirmsLeavesTheViewsWhenItExpires() {
        long id = requeuedWhileAway();
        heartbeat(new RunnerEvent.RunningAttempt(id, 1));
        s.clock.advance(LingeringAttempts.LIMIT.minusSeconds(60));
        heartbeat(new RunnerEvent.RunningAttempt(id, 1));
        s.apply(s.core.tick());
        assertEquals(1, s.core.killHolds().size());
        s.clock.advance(Duration.ofSeconds(61));
        heartbeat(new RunnerEvent.RunningAttempt(id, 1));
        s.apply(s.core.tick());
        assertEquals(List.of(), s.core.killHolds());
    }

    @Test
    void theRealEndOfAnAttemptClosedAsNodeFailGoesToItsRecordAndNothingElse() {
        long id = requeuedWhileAway();
        heartbeat(new RunnerEvent.RunningAttempt(id, 1));
        s.clock.advance(Duration.ofSeconds(12));
        Instant killed = s.clock.instant().minusSeconds(2);
        int changesBefore = s.changes.size();
        Decisions late = s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 9,
                JobState.NODE_FAIL, killed)));
        assertEquals(List.of(new Decisions.LateEnd(id, 1, killed, 0, 9, null)), late.lateEnds());
        assertEquals(changesBefore, s.changes.size(), "the job, requeued, does not change");
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals(List.of(), late.events());
    }

    @Test
    void aLateEndIsNeverDatedAfterTheHeadsClock() {
        long id = requeuedWhileAway();
        Decisions late = s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 9,
                JobState.NODE_FAIL, s.clock.instant().plusSeconds(3600))));
        assertEquals(List.of(new Decisions.LateEnd(id, 1, s.clock.instant(), 0, 9, null)), late.lateEnds());
    }

    @Test
    void theEndOfTheCurrentAttemptIsNoLateEnd() {
        heartbeat();
        long id = s.submit(CoreScenario.spec());
        s.schedule();
        Decisions d = s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null,
                s.clock.instant())));
        assertEquals(JobState.COMPLETED, s.job(id).state());
        assertEquals(List.of(), d.lateEnds());
    }
}
