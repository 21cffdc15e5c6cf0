package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who cancelled a job (sacct's "CANCELLED by") is written with the change that carries the cancel out and read for
 * the jobs that ended CANCELLED, against a real SQLite file: reopened, and in a file from before it was kept.
 */
class CancelledByTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    private static JobRecord admitted(JobStore store, String key) {
        return store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
    }

    /** A pending job cancelled at once, by the user named. */
    private static long cancelledPending(JobStore store, String key, String by) {
        JobRecord j = admitted(store, key);
        store.save(List.of(new JobChange(j.ended(JobState.CANCELLED, "CancelledByUser", null, null, T),
                JobState.PENDING, T, null, by)));
        return j.id();
    }

    /** A running job whose kill the user ordered: COMPLETING until its node confirms. */
    private static JobRecord killOrdered(JobStore store, String key, String by) {
        JobRecord j = admitted(store, key);
        JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        JobRecord stopping = running.withState(JobState.COMPLETING, JobState.CANCELLED.name());
        store.save(List.of(new JobChange(running, JobState.PENDING, T, new AttemptRecord(j.id(), 1, "h1", T, null,
                null, null, null, null)), new JobChange(stopping, JobState.RUNNING, T.plusSeconds(1), null, by)));
        return stopping;
    }

    /** The node confirmed the kill: the end itself names nobody. */
    private static void confirmed(JobStore store, JobRecord stopping, JobState endAs) {
        store.save(List.of(new JobChange(stopping.ended(endAs, "CancelledByUser", 0, 15, T.plusSeconds(2)),
                JobState.COMPLETING, T.plusSeconds(2), new AttemptRecord(stopping.id(), 1, "h1", T,
                        T.plusSeconds(2), endAs, 0, 15, null))));
    }

    @Test
    void theCancellerOfAPendingOrAKilledJobIsKeptThroughAReopenAndShownOnceItIsCancelled() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        long pending = cancelledPending(store, "p", "alice");
        long nobody = cancelledPending(store, "n", null);
        JobRecord killed = killOrdered(store, "k", "bob");
        JobRecord timedOut = killOrdered(store, "t", "carol");
        assertEquals(Map.of(pending, "alice"), store.history().cancellers(List.of(pending, nobody, killed.id(),
                timedOut.id(), 999L)), "a job still being killed is not cancelled yet");
        store.close();

        // The head stopped between the kill's order and the node's word: the order's user is on the file.
        JobStore reopened = new JobStore(Database.open(file));
        confirmed(reopened, killed, JobState.CANCELLED);
        // Its time limit struck before the kill: not cancelled, whoever asked.
        confirmed(reopened, timedOut, JobState.TIMEOUT);
        assertEquals(Map.of(pending, "alice", killed.id(), "bob"), reopened.history().cancellers(List.of(pending,
                nobody, killed.id(), timedOut.id())));
        reopened.close();
    }

    @Test
    void aFileFromBeforeCancellersWereKeptGainsTheColumnAndItsCancelledJobsHaveNone() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        long old = cancelledPending(store, "old", null);
        store.close();
        // The file as the schema before this one left it; the migrations after it (the virtual memory and disk figures,
        // node_events and its index on time, jobs.suspend_time and suspended_millis, the time-limit shares mailed,
        // attempt_cpus, reservations, attempt_cpus.gpus, nodes.gpu_types, partitions) undone first.
        Database.open(file).useHandle(h -> {
            int version = h.createQuery("PRAGMA user_version").mapTo(Integer.class).one();
            h.execute("DROP TABLE fair_share_usage");
            h.execute("DROP TABLE fair_share_mark");
            h.execute("DROP TABLE partitions");
            h.execute("DROP TABLE reservations");
            h.execute("DROP TABLE attempt_cpus"); // its gpus column with it
            h.execute("ALTER TABLE nodes DROP COLUMN gpu_types");
            h.execute("ALTER TABLE job_attempts DROP COLUMN time_limit_mailed");
            h.execute("ALTER TABLE jobs DROP COLUMN suspend_time");
            h.execute("ALTER TABLE jobs DROP COLUMN suspended_millis");
            h.execute("DROP TABLE node_events");
            h.execute("ALTER TABLE job_attempts DROP COLUMN max_vm_size_bytes");
            h.execute("ALTER TABLE job_attempts DROP COLUMN disk_read_bytes");
            h.execute("ALTER TABLE job_attempts DROP COLUMN disk_write_bytes");
            h.execute("ALTER TABLE jobs DROP COLUMN cancelled_by");
            h.execute("PRAGMA user_version = " + (version - 12));
        });

        JobStore upgraded = new JobStore(Database.open(file));
        long fresh = cancelledPending(upgraded, "new", "alice");
        assertEquals(Map.of(fresh, "alice"), upgraded.history().cancellers(List.of(old, fresh)));
        upgraded.close();
    }
}
