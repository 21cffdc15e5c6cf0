package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SQLite is asked to do per job on the way submit, placed, running, completed, as the scheduler writes it:
 * each step one batch of jobs, the published mark moved after each (as the dispatcher does).
 */
class JobStoreWriteCostTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final int JOBS = 100;
    private static final Allocation ON_N1 = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0,
            0)));
    @TempDir
    Path dir;
    CountingDataSource source;
    JobStore store;
    int round;

    @BeforeEach
    void open() {
        source = new CountingDataSource(Database.dataSource(dir.resolve("cadre.db")));
        store = new JobStore(Database.open(source));
    }

    /** What one step cost for JOBS jobs. */
    private record Cost(String step, long prepared, long executed, long transactionCalls) {
        @Override
        public String toString() {
            return String.format("%-9s %5.2f prepared, %5.2f run, %5.2f transaction calls per job", step,
                    (double) prepared / JOBS, (double) executed / JOBS, (double) transactionCalls / JOBS);
        }
    }

    private final List<Cost> costs = new ArrayList<>();

    /** JOBS jobs through the whole path, each step saving jobsPerSave jobs at a time; returns them ended. */
    private List<JobRecord> oneRound(int jobsPerSave) {
        costs.clear();
        round++;
        List<JobStore.NewJob> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            batch.add(JobStoreTest.job("r" + round + "-" + i, "alice"));
        }
        source.reset();
        List<JobRecord> pending = store.admit(batch).stream().map(JobStore.Admission::job).toList();
        published();
        costs.add(new Cost("submit", source.prepared, source.executed, source.transactionCalls));
        List<JobRecord> placed = step("placed", pending, jobsPerSave, JobStoreWriteCostTest::placed);
        List<JobRecord> confirmed = step("running", placed, jobsPerSave,
                j -> new JobChange(j.confirmed(), j.state(), T, null));
        return step("completed", confirmed, jobsPerSave, j -> new JobChange(
                j.ended(JobState.COMPLETED, null, 0, 0, T), j.state(), T,
                new AttemptRecord(j.id(), 1, "host1", T, T, JobState.COMPLETED, 0, 0, null)));
    }

    private static JobChange placed(JobRecord j) {
        return new JobChange(j.started(1, ON_N1, T), JobState.PENDING, T, new AttemptRecord(j.id(), 1, "host1", T,
                null, null, null, null, null));
    }

    /** Saves the changes in batches of the given size, each followed by its publication. */
    private List<JobRecord> step(String name, List<JobRecord> jobs, int jobsPerSave,
            Function<JobRecord, JobChange> change) {
        source.reset();
        List<JobRecord> out = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i += jobsPerSave) {
            List<JobChange> changes = jobs.subList(i, Math.min(jobs.size(), i + jobsPerSave)).stream().map(change)
                    .toList();
            store.save(changes);
            published();
            changes.forEach(c -> out.add(c.job()));
        }
        costs.add(new Cost(name, source.prepared, source.executed, source.transactionCalls));
        return out;
    }

    private void published() {
        store.outbox().published(store.outbox().lastEventSeq());
    }

    private Cost cost(String step) {
        return costs.stream().filter(c -> c.step().equals(step)).findFirst().orElseThrow();
    }

    @Test
    void batchesPrepareNothingAfterTheFirstAndRunOnlyTheRowsTheyWrite() {
        oneRound(JOBS);
        List<JobRecord> ended = oneRound(JOBS);
        // Per job: its row and creation event; its row, event and attempt; its row; its row, event and attempt.
        // Per batch: the lookup of known submission keys, and the published mark moved by the batch before.
        assertEquals(2 * JOBS + 2, cost("submit").executed(), cost("submit").toString());
        assertEquals(3 * JOBS + 1, cost("placed").executed(), cost("placed").toString());
        assertEquals(JOBS + 1, cost("running").executed(), cost("running").toString());
        assertEquals(3 * JOBS, cost("completed").executed(), cost("completed").toString());
        assertEquals(1, costs.stream().mapToLong(Cost::prepared).sum(), "only the key lookup, a Jdbi query, is"
                + " prepared again: " + costs);
        for (Cost c : costs) {
            assertEquals(2, c.transactionCalls(), "one transaction per batch: " + c);
        }
        for (JobRecord j : ended) {
            assertEquals(JobState.COMPLETED, store.find(j.id()).orElseThrow().state());
            assertEquals(3, store.history().events(j.id()).size());
        }
    }

    @Test
    void theCpuIdsOfABatchOfStartsCostARowEachAndNoTransactionOfTheirOwn() {
        List<JobStore.NewJob> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            batch.add(JobStoreTest.job("bound-" + i, "alice"));
        }
        List<JobRecord> pending = store.admit(batch).stream().map(JobStore.Admission::job).toList();
        List<JobRecord> placed = step("placed", pending, JOBS, JobStoreWriteCostTest::placed);

        // What a batch of runner-running events brings: each launch confirmed, and the CPU ids it runs on.
        source.reset();
        store.save(new JobWrites(List.of(), placed.stream().map(j -> new JobChange(j.confirmed(), j.state(), T,
                null)).toList(), List.of(), Map.of(), placed.stream().map(j -> new AttemptCpus(j.id(), 1, "n1", 0,
                "host1", "0", 0)).toList(), List.of(), List.of(), null));
        assertEquals(2 * JOBS + 1, source.executed, "each job's row and its CPU ids' row, and the mark");
        assertEquals(2, source.transactionCalls, "one transaction for the whole batch");
        for (JobRecord j : placed) {
            assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "host1", "0", 0)),
                    store.history().attempts(j.id()).get(0).cpus());
        }
    }

    @Test
    void aChangeSavedAloneRunsItsRowsAndAtMostTheMark() {
        oneRound(1);
        oneRound(1);
        // The first also stores the mark of the last placement; confirming a launch appends no event to mark.
        assertEquals(JOBS + 1, cost("running").executed(), "no query of the newest event: " + cost("running"));
        // Each also stores the mark its predecessor's event moved; the first follows a confirmation, which moved none.
        assertEquals(4 * JOBS - 1, cost("completed").executed(), cost("completed").toString());
        assertEquals(0, cost("completed").prepared(), cost("completed").toString());
    }
}
