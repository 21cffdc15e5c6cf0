package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 97: a node that goes away and comes back. Its stale attempts keep their cores until it confirms their
 * kill (finding 2), an end is dated when the node saw it (finding 6), and the head says what happened in one line
 * per event (finding 7).
 */
class NodeComesBackTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(String node, int cores, RunnerEvent.RunningAttempt... running) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(node, node, List.of(), cores, 64_000, 0,
                List.of(running), s.clock.instant())));
    }

    private void confirm(long id) {
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerRunning(id, s.job(id).attempt(), "n1",
                s.clock.instant())));
    }

    private static List<Long> placed(Decisions d) {
        return d.messages().stream().filter(o -> o.message() instanceof NodeCommand.PlaceJob)
                .map(o -> ((NodeCommand.PlaceJob) o.message()).jobId()).toList();
    }

    private static long kills(Decisions d) {
        return d.messages().stream().filter(o -> o.message() instanceof NodeCommand.KillJob).count();
    }

    @Test
    void theCoresOfAnAttemptRequeuedWhileItsNodeWasAwayStayTakenUntilItsKillIsConfirmed() {
        heartbeat("n1", 2);
        long first = s.submit(CoreScenario.spec().tasks(2).maxAttempts(3));
        s.schedule();
        confirm(first);
        s.clock.advance(Duration.ofSeconds(31));
        Decisions down = s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(first).state(), "requeued, waiting its backoff");
        assertEquals(1, kills(down), "the kill waits in n1's queue for its return");
        assertEquals(List.of("node n1 (n1) not responding for 31 s, setting DOWN; its jobs: 1 requeued (1)"),
                down.warnings());

        long second = s.submit(CoreScenario.spec().tasks(2));
        Decisions back = heartbeat("n1", 2, new RunnerEvent.RunningAttempt(first, 1));
        assertEquals(0, kills(back), "its kill is queued already");
        assertEquals(List.of("node n1 (n1) is back, UP again after 31 s without a heartbeat; attempts that ended for"
                + " the head meanwhile still run there (1), and their cores stay taken until they are killed"),
                back.notes());
        assertEquals(List.of(), placed(s.schedule()), "the old attempt still holds n1's cores in its kill grace");

        Decisions released = s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(first, 1, "n1", 0, 15,
                JobState.NODE_FAIL, s.clock.instant())));
        assertTrue(released.freesRoom());
        assertEquals(List.of(second), placed(s.schedule()));
    }

    @Test
    void anAttemptUnknownToARestartedHeadHoldsItsNodeUntilTheNodeNoLongerListsIt() {
        Decisions joined = heartbeat("n1", 2, new RunnerEvent.RunningAttempt(7, 1));
        assertEquals(1, kills(joined));
        assertEquals(List.of("node n1 still runs attempts that ended for the head (requeued, failed or cancelled"
                + " while it was away); killing them: 7 attempt 1"), joined.warnings());
        long waiting = s.submit(CoreScenario.spec());
        assertEquals(List.of(), placed(s.schedule()), "what attempt 1 of job 7 holds there is unknown");
        assertEquals(0, kills(heartbeat("n1", 2, new RunnerEvent.RunningAttempt(7, 1))), "one kill is enough");
        assertTrue(heartbeat("n1", 2).freesRoom());
        assertEquals(List.of(waiting), placed(s.schedule()));
    }

    @Test
    void anAttemptEndsWhenItsNodeSawItEndBoundedByItsStartAndTheHeadsClock() {
        heartbeat("n1", 4);
        Instant start = s.clock.instant();
        long late = s.submit(CoreScenario.spec());
        long early = s.submit(CoreScenario.spec());
        long ahead = s.submit(CoreScenario.spec());
        s.schedule();
        s.clock.advance(Duration.ofSeconds(20));
        Instant now = s.clock.instant();
        finish(late, start.plusSeconds(5));
        finish(early, start.minusSeconds(3600));
        finish(ahead, now.plusSeconds(3600));
        assertEquals(start.plusSeconds(5), s.job(late).endTime(), "heard of 15 s after it ended");
        assertEquals(start.plusSeconds(5), closed(late).endTime());
        assertEquals(start, s.job(early).endTime(), "a node clock behind cannot end it before it started");
        assertEquals(start, closed(early).endTime());
        assertEquals(now, s.job(ahead).endTime(), "nor one ahead end it in the future");
    }

    private void finish(long id, Instant at) {
        s.apply(s.core.onRunnerEvent(new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null, at)));
    }

    private AttemptRecord closed(long id) {
        return s.changes.stream().map(JobChange::attempt).filter(a -> a != null && a.jobId() == id
                && a.endTime() != null).findFirst().orElseThrow();
    }

    @Test
    void aNodeWithManyJobsGoingDownIsOneLineNamingTheFirstFew() {
        heartbeat("n1", 8);
        for (int i = 0; i < 7; i++) {
            s.submit(CoreScenario.spec().maxAttempts(3));
        }
        s.submit(CoreScenario.spec().requeue(false));
        s.schedule();
        s.clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of("node n1 (n1) not responding for 31 s, setting DOWN; its jobs: 7 requeued (1, 2, 3, 4,"
                + " 5 and 2 more), 1 ended for good (8)"), s.apply(s.core.tick()).warnings());
    }
}
