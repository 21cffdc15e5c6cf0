package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real SQLite file: the time-limit shares an attempt was mailed about, kept across a restart of the head. */
class TimeLimitMailedTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    /** A job whose first attempt started at T on h1, as the scheduler stores a start. */
    private static JobRecord running(JobStore store, String key) {
        JobRecord j = store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
        JobRecord started = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        store.save(List.of(new JobChange(started, JobState.PENDING, T, new AttemptRecord(j.id(), 1, "h1", T, null,
                JobState.RUNNING, null, null, null))));
        return started;
    }

    private static void end(JobStore store, JobRecord j) {
        JobRecord ended = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.COMPLETED, null, 1, null, true, 0,
                0, j.submitTime(), T, T.plusSeconds(10));
        store.save(List.of(new JobChange(ended, JobState.RUNNING, T.plusSeconds(10), new AttemptRecord(j.id(), 1, "h1",
                T, T.plusSeconds(10), JobState.COMPLETED, 0, 0, null))));
    }

    @Test
    void theSharesMailedAreReadBackForTheRunningAttemptsOnly() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        JobRecord a = running(store, "a");
        JobRecord quiet = running(store, "quiet");
        JobRecord done = running(store, "done");
        store.saveTimeLimitMailed(List.of(new TimeLimitMailed(a.id(), 1, 1), new TimeLimitMailed(done.id(), 1, 7)));
        end(store, done);
        store.close();

        JobStore restarted = new JobStore(Database.open(dir.resolve("cadre.db")));
        assertEquals(List.of(new TimeLimitMailed(a.id(), 1, 1)), restarted.timeLimitMailed(),
                "none for an attempt mailed nothing (" + quiet.id() + ") nor for one that ended");
        restarted.saveTimeLimitMailed(List.of(new TimeLimitMailed(a.id(), 1, 3)));
        assertEquals(List.of(new TimeLimitMailed(a.id(), 1, 3)), restarted.timeLimitMailed(), "the mask is replaced");
    }

    private static int column(Path file, long jobId, int attempt) {
        return Database.open(file).withHandle(h -> h.createQuery("SELECT time_limit_mailed FROM job_attempts"
                + " WHERE job_id = ? AND attempt = ?").bind(0, jobId).bind(1, attempt).mapTo(Integer.class).one());
    }

    /** The end rewrites the attempt's row: the shares it was mailed about stay, as they are true of it. */
    @Test
    void anAttemptsEndKeepsTheSharesItWasMailedAbout() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        JobRecord done = running(store, "done");
        store.saveTimeLimitMailed(List.of(new TimeLimitMailed(done.id(), 1, 3)));
        end(store, done);
        store.close();
        assertEquals(3, column(file, done.id(), 1));
    }

    /**
     * As Slurm's job keeps its mail_type with the bits of the shares mailed cleared through a requeue: a requeued job's
     * shares are read back while it waits, and its next attempt's row starts with them, less the mark of an attempt
     * from before the marks, which speaks of that attempt's time alone.
     */
    @Test
    void aRequeuedJobsNextAttemptStartsWithTheSharesMailedBefore() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        JobRecord j = running(store, "r");
        store.saveTimeLimitMailed(List.of(new TimeLimitMailed(j.id(), 1, 8 | 1)));
        JobRecord requeued = j.requeued("Requeued: by request", null);
        store.save(List.of(new JobChange(requeued, JobState.RUNNING, T.plusSeconds(60), new AttemptRecord(j.id(), 1,
                "h1", T, T.plusSeconds(60), JobState.REQUEUED, 0, 15, null)), new JobChange(requeued.withState(
                JobState.PENDING, "Requeued"), JobState.REQUEUED, T.plusSeconds(60), null)));
        store.close();

        JobStore restarted = new JobStore(Database.open(file));
        assertEquals(List.of(new TimeLimitMailed(j.id(), 1, 9)), restarted.timeLimitMailed(), "pending, requeued");
        Instant again = T.plusSeconds(70);
        JobRecord second = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 2, null, true,
                null, null, j.submitTime(), again, null);
        restarted.save(List.of(new JobChange(second, JobState.PENDING, again, new AttemptRecord(j.id(), 2, "h1", again,
                null, JobState.RUNNING, null, null, null))));
        assertEquals(List.of(new TimeLimitMailed(j.id(), 2, 1)), restarted.timeLimitMailed());
        assertEquals(9, column(file, j.id(), 1), "the first attempt's row as it was");
    }

    /** An attempt running when the column came may have been mailed by a head that kept no record: it is marked so. */
    @Test
    void theMigrationMarksTheAttemptsRunningAtTheUpgrade() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        JobRecord a = running(store, "a");
        JobRecord done = running(store, "done");
        end(store, done);
        store.close();
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
            h.execute("PRAGMA user_version = " + (version - 7));
        });

        JobStore upgraded = new JobStore(Database.open(file));
        assertEquals(List.of(new TimeLimitMailed(a.id(), 1, 8)), upgraded.timeLimitMailed());
        assertEquals(0, column(file, done.id(), 1), "an ended attempt is not marked");
    }
}
