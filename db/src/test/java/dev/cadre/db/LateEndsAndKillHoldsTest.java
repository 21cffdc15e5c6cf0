package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 110, findings 4 and 5, against a real SQLite file: the scheduler's kill holds are stored as a whole for the
 * views, and a late end is taken by an attempt the head closed on its own (NODE_FAIL, or REQUEUED
 * when a user's requeue was stopping it) only.
 */
class LateEndsAndKillHoldsTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    /** A job whose only attempt ran from T and ended as given at T + 10 s. */
    private static long endedAs(JobStore store, String key, JobState state, Integer exit, Integer signal) {
        JobRecord j = store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
        JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        store.save(List.of(new JobChange(running, JobState.PENDING, T, null)));
        JobRecord ended = new JobRecord(j.id(), j.submissionKey(), j.spec(), state, "NodeFail", 1, null, true, exit,
                signal, j.submitTime(), T, T.plusSeconds(10));
        store.save(List.of(new JobChange(ended, JobState.RUNNING, T.plusSeconds(10), new AttemptRecord(j.id(), 1, "h1",
                T, T.plusSeconds(10), state, exit, signal, null))));
        return j.id();
    }

    @Test
    void aLateEndIsStoredOnAnAttemptTheHeadClosedOnItsOwnAndNoOther() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long lost = endedAs(store, "lost", JobState.NODE_FAIL, null, null);
        // A user's requeue was stopping it when its node was lost.
        long requeued = endedAs(store, "requeued", JobState.REQUEUED, null, null);
        // Requeued by request, its kill confirmed by its node, whose report a repeat must not move.
        long confirmed = endedAs(store, "confirmed", JobState.REQUEUED, 0, 15);
        long early = endedAs(store, "early", JobState.NODE_FAIL, null, null);
        long done = endedAs(store, "done", JobState.COMPLETED, 0, 0);
        JobRecord before = store.find(lost).orElseThrow();

        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(31), 0, 9),
                new LateAttemptEnd(early, 1, T.minusSeconds(3600), 0, 15),
                new LateAttemptEnd(done, 1, T.plusSeconds(40), 1, 0),
                new LateAttemptEnd(lost, 2, T.plusSeconds(50), 0, 0),
                new LateAttemptEnd(requeued, 1, T.plusSeconds(33), 0, 15),
                new LateAttemptEnd(confirmed, 1, T.plusSeconds(90), 0, 15)));

        assertEquals(List.of(new AttemptRecord(lost, 1, "h1", T, T.plusSeconds(31), JobState.NODE_FAIL, 0, 9, null)),
                store.history().attempts(lost), "the real end, still NODE_FAIL; no attempt 2 made up");
        assertEquals(List.of(new AttemptRecord(requeued, 1, "h1", T, T.plusSeconds(33), JobState.REQUEUED, 0, 15,
                null)), store.history().attempts(requeued));
        assertEquals(T.plusSeconds(10), store.history().attempts(confirmed).get(0).endTime());
        assertEquals(T, store.history().attempts(early).get(0).endTime(), "never before the attempt started");
        assertEquals(new AttemptRecord(done, 1, "h1", T, T.plusSeconds(10), JobState.COMPLETED, 0, 0, null),
                store.history().attempts(done).get(0), "an end its node gave already stays");
        assertEquals(before, store.find(lost).orElseThrow(), "the job is not touched");
    }

    @Test
    void killHoldsAreReplacedAsAWhole() {
        NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        KillHolds.Hold a = new KillHolds.Hold(5, 1, "n2", 2, 0, 100, T);
        KillHolds.Hold b = new KillHolds.Hold(7, 3, "n1", 1, 1, 0, T.plusSeconds(1));
        nodes.killHolds().replace(List.of(a, b));
        assertEquals(List.of(b, a), nodes.killHolds().list());
        nodes.killHolds().replace(List.of(b));
        assertEquals(List.of(b), nodes.killHolds().list());
        nodes.killHolds().replace(List.of());
        assertEquals(List.of(), nodes.killHolds().list());
    }
}
