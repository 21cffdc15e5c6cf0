package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attempt's processes used (sacct's TotalCPU and MaxRSS, the REST API's attempts) is kept with the attempt's
 * row and read back with it, against a real SQLite file: as the scheduler closes the attempt, as a late end of one it
 * had closed on its own, and in a file from before the figures were kept.
 */
class AttemptUsageTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final ResourceUsage USED = new ResourceUsage(5_820_000L, 410_000L, 73_400_320L);
    @TempDir
    Path dir;

    /** A job whose only attempt ran from T and ended as given at T + 10 s, with what it used. */
    private static long endedAs(JobStore store, String key, JobState state, ResourceUsage usage) {
        JobRecord j = store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
        JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        store.save(List.of(new JobChange(running, JobState.PENDING, T, new AttemptRecord(j.id(), 1, "h1", T, null,
                null, null, null, null))));
        JobRecord ended = new JobRecord(j.id(), j.submissionKey(), j.spec(), state, null, 1, null, true, 0, 0,
                j.submitTime(), T, T.plusSeconds(10));
        store.save(List.of(new JobChange(ended, JobState.RUNNING, T.plusSeconds(10), new AttemptRecord(j.id(), 1,
                "h1", T, T.plusSeconds(10), state, 0, 0, null, usage))));
        return j.id();
    }

    @Test
    void anAttemptKeepsWhatItUsedAndOneStillRunningHasNoFigures() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long done = endedAs(store, "done", JobState.COMPLETED, USED);
        // A node that could read the CPU times but not the memory peak.
        ResourceUsage cpuOnly = new ResourceUsage(1_234L, 0L, null);
        long partly = endedAs(store, "partly", JobState.FAILED, cpuOnly);
        long unknown = endedAs(store, "unknown", JobState.COMPLETED, null);

        assertEquals(List.of(new AttemptRecord(done, 1, "h1", T, T.plusSeconds(10), JobState.COMPLETED, 0, 0, null,
                USED)), store.history().attempts(done));
        assertEquals(cpuOnly, store.history().attempts(partly).get(0).usage());
        assertNull(store.history().attempts(unknown).get(0).usage());

        JobRecord j = store.admit(List.of(JobStoreTest.job("runs", "alice"))).get(0).job();
        store.save(List.of(new JobChange(new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null,
                1, null, true, null, null, j.submitTime(), T, null), JobState.PENDING, T, new AttemptRecord(j.id(), 1,
                "h1", T, null, null, null, null, null))));
        assertNull(store.history().attempts(j.id()).get(0).usage(), "running: nothing reported yet");
        store.close();
    }

    @Test
    void aLateEndBringsTheUsageOfAnAttemptTheHeadClosedOnItsOwnAndAMissingFigureKeepsTheStoredOne() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long lost = endedAs(store, "lost", JobState.NODE_FAIL, null);
        long done = endedAs(store, "done", JobState.COMPLETED, USED);

        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(30), 0, 0, USED),
                new LateAttemptEnd(done, 1, T.plusSeconds(30), 0, 0, new ResourceUsage(1L, 1L, 1L))));
        assertEquals(USED, store.history().attempts(lost).get(0).usage());
        assertEquals(USED, store.history().attempts(done).get(0).usage(), "an end its node gave already stays");

        // The same end again, from a node-runner that no longer knows the memory peak.
        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(30), 0, 0,
                new ResourceUsage(6_000_000L, 500_000L, null))));
        assertEquals(new ResourceUsage(6_000_000L, 500_000L, USED.maxRssBytes()),
                store.history().attempts(lost).get(0).usage());
        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(30), 0, 0, null)));
        assertEquals(new ResourceUsage(6_000_000L, 500_000L, USED.maxRssBytes()),
                store.history().attempts(lost).get(0).usage(), "no usage reported: the figures stay");
        store.close();
    }

    @Test
    void aFileFromBeforeUsageWasKeptGainsTheColumnsAndItsAttemptsReadWithNone() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        long old = endedAs(store, "old", JobState.COMPLETED, null);
        store.close();
        // The file as the schema before this one left it; the migrations after it (jobs.cancelled_by, the virtual
        // memory and disk figures, node_events and its index on time, jobs.suspend_time and suspended_millis, the
        // time-limit shares mailed, attempt_cpus, reservations, attempt_cpus.gpus, nodes.gpu_types,
        // partitions) undone first.
        Jdbi jdbi = Database.open(file);
        jdbi.useHandle(h -> {
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
            h.execute("ALTER TABLE job_attempts DROP COLUMN user_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN system_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN max_rss_bytes");
            h.execute("PRAGMA user_version = " + (version - 13));
        });

        JobStore upgraded = new JobStore(Database.open(file));
        assertEquals(List.of(new AttemptRecord(old, 1, "h1", T, T.plusSeconds(10), JobState.COMPLETED, 0, 0, null)),
                upgraded.history().attempts(old));
        long fresh = endedAs(upgraded, "new", JobState.COMPLETED, USED);
        assertEquals(USED, upgraded.history().attempts(fresh).get(0).usage());
        upgraded.close();
    }

    @Test
    void theVirtualMemoryPeakAndDiskBytesAreKeptAndALateEndBringsThemWithoutLosingStoredOnes() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        ResourceUsage full = new ResourceUsage(1L, 2L, 3L, 312_475_648L, 1_048_576L, 52_428_800L);
        long done = endedAs(store, "done", JobState.COMPLETED, full);
        assertEquals(full, store.history().attempts(done).get(0).usage());
        // Disk bytes alone: still a usage.
        ResourceUsage diskOnly = new ResourceUsage(null, null, null, null, 0L, 4096L);
        assertEquals(diskOnly, store.history().attempts(endedAs(store, "disk", JobState.FAILED, diskOnly)).get(0)
                .usage());

        long lost = endedAs(store, "lost", JobState.NODE_FAIL, null);
        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(30), 0, 0, full)));
        assertEquals(full, store.history().attempts(lost).get(0).usage());
        // Again from a runner of before the figures: those stored stay.
        store.saveLateEnds(List.of(new LateAttemptEnd(lost, 1, T.plusSeconds(30), 0, 0, new ResourceUsage(1L, 2L,
                3L))));
        assertEquals(full, store.history().attempts(lost).get(0).usage());
        store.close();
    }
}
