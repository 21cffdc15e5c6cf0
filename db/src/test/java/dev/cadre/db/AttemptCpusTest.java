package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU ids nodes said an attempt held (scontrol -d show job's CPU_IDs, the REST API's attempts) are kept per
 * attempt and node and read back with the job's attempts, against a real SQLite file: in the allocation's order, a
 * node saying otherwise replacing what it said, each attempt of a requeued job with its own, stored with the batch they
 * came in or not at all, and gone with the job.
 */
class AttemptCpusTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    /** A job with attempts 1 to {@code attempts} on h1 and h2, each started T + its number of minutes. */
    private static long ranAttempts(JobStore store, String key, int attempts) {
        JobRecord j = store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
        JobState previous = JobState.PENDING;
        for (int a = 1; a <= attempts; a++) {
            Instant start = T.plusSeconds(60L * a);
            JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, a, null,
                    true, null, null, j.submitTime(), start, null);
            store.save(List.of(new JobChange(running, previous, start, new AttemptRecord(j.id(), a, "h1,h2", start,
                    null, null, null, null, null))));
            previous = JobState.RUNNING;
        }
        return j.id();
    }

    /** Stores what the nodes said, alone, as a heartbeat that changes no job does. */
    private static void said(JobStore store, AttemptCpus... rows) {
        store.save(new JobWrites(List.of(), List.of(), List.of(), Map.of(), List.of(rows), List.of(), List.of(), null));
    }

    @Test
    void eachAttemptHasTheCpusItsNodesSaidInTheAllocationsOrder() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long id = ranAttempts(store, "twice", 2);
        long quiet = ranAttempts(store, "quiet", 1);
        // The other node's heartbeat may come before the coordinator's runner-running is stored.
        said(store, new AttemptCpus(id, 1, "n2", 1, "h2", "0", 0), new AttemptCpus(id, 1, "n1", 0, "h1", "", 0));
        said(store, new AttemptCpus(id, 1, "n1", 0, "h1", "2-3", 100), new AttemptCpus(id, 2, "n1", 0, "h1", "0-1",
                100));

        List<AttemptRecord> attempts = store.history().attempts(id);
        assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "h1", "2-3", 100),
                new AttemptRecord.NodeCpus("n2", "h2", "0", 0)), attempts.get(0).cpus());
        assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "h1", "0-1", 100)), attempts.get(1).cpus());
        assertNull(store.history().attempts(quiet).get(0).cpus(), "no node said: none");
        store.close();
    }

    @Test
    void theGpusANodeSaidAreKeptWithItsCpusAndANodeThatSaidNoneHasNull() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long id = ranAttempts(store, "gpus", 1);
        said(store, new AttemptCpus(id, 1, "n1", 0, "h1", "0", 0, List.of(3, 1, 2)),
                new AttemptCpus(id, 1, "n2", 1, "h2", "0", 0, List.of()),
                new AttemptCpus(id, 1, "n3", 2, "h3", "0", 0));
        assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "h1", "0", 0, List.of(1, 2, 3)),
                new AttemptRecord.NodeCpus("n2", "h2", "0", 0, List.of()),
                new AttemptRecord.NodeCpus("n3", "h3", "0", 0, null)), store.history().attempts(id).get(0).cpus());
        // A node saying otherwise replaces them, as it does the CPUs; one saying nothing of them keeps them.
        said(store, new AttemptCpus(id, 1, "n1", 0, "h1", "0", 0, List.of(0)));
        assertEquals(List.of(0), store.history().attempts(id).get(0).cpus().get(0).gpus());
        said(store, new AttemptCpus(id, 1, "n1", 0, "h1", "1", 0));
        assertEquals(new AttemptRecord.NodeCpus("n1", "h1", "1", 0, List.of(0)),
                store.history().attempts(id).get(0).cpus().get(0));
        store.close();
    }

    @Test
    void aBatchStoresItsCpusWithItsChangesOrNothingAtAll() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        JobStore store = new JobStore(jdbi);
        JobRecord j = store.admit(List.of(JobStoreTest.job("started", "alice"))).get(0).job();
        JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        List<JobChange> start = List.of(new JobChange(running, JobState.PENDING, T, new AttemptRecord(j.id(), 1, "h1",
                T, null, null, null, null, null)));
        List<AttemptCpus> cpus = List.of(new AttemptCpus(j.id(), 1, "n1", 0, "h1", "0", 0));
        // Refused after its changes and CPU ids are written: the job is no part of an array to delete.
        JobWrites refused = new JobWrites(List.of(), start, List.of(), Map.of(), cpus, List.of(j.id()), List.of(),
                null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.save(refused));
        assertEquals("job " + j.id() + " is not a stored part of an array", e.getMessage());
        assertEquals(JobState.PENDING, store.find(j.id()).orElseThrow().state());
        assertEquals(List.of(), store.history().attempts(j.id()));
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM attempt_cpus").mapTo(Integer.class).one());
        assertEquals(0, rows, "no CPU ids of the refused batch");

        store.save(new JobWrites(List.of(), start, List.of(), Map.of(), cpus, List.of(), List.of(), null));
        assertEquals(JobState.RUNNING, store.find(j.id()).orElseThrow().state());
        assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "h1", "0", 0)),
                store.history().attempts(j.id()).get(0).cpus());
        store.close();
    }

    @Test
    void aPrunedJobsCpusGoWithIt() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        long id = ranAttempts(store, "pruned", 1);
        long kept = ranAttempts(store, "kept", 1);
        said(store, new AttemptCpus(id, 1, "n1", 0, "h1", "0", 0), new AttemptCpus(kept, 1, "n1", 0, "h1", "1", 0));
        store.close();

        Jdbi jdbi = Database.open(file);
        assertEquals(1, new HistoryPruneStore(jdbi).delete(0, held -> List.of(id)));
        assertEquals(List.of(kept), jdbi.withHandle(h -> h.createQuery("SELECT job_id FROM attempt_cpus")
                .mapTo(Long.class).list()));
    }
}
