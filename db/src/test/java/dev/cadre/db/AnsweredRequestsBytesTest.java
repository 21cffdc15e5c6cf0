package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on the bytes the answers to control requests keep (review 133 M2: the count alone let 100,000 answers
 * of 512 KiB fill the head's disk). Most tests write under a small bound through the real writer and file.
 */
class AnsweredRequestsBytesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final long BOUND = 10_000;
    /** Characters of reason that make an answer of some 3,100 bytes: three fit under {@link #BOUND}, four not. */
    private static final int REASON = 1_500;

    @TempDir
    Path dir;

    /** An answer at {@code T} plus {@code second}s whose reason is made of é, two bytes of UTF-8 each. */
    private static AnsweredRequests.Answered answer(String key, int reasonChars, int second) {
        return new AnsweredRequests.Answered(key, "f", new ClientReply.ControlResult(7, true, JobState.PENDING,
                "é".repeat(reasonChars)), T.plusSeconds(second));
    }

    /** What the answer counts against the bound: its key, fingerprint and stored answer, in bytes. */
    private static long size(AnsweredRequests.Answered a) {
        return (a.key() + a.fingerprint() + MessageCodec.encode(a.answer())).getBytes(StandardCharsets.UTF_8).length;
    }

    private static void remember(SingleWriter writer, AnsweredRequests.Answered a) {
        writer.write((w, events) -> {
            AnsweredRequests.rememberIn(w, a, BOUND);
            return null;
        });
    }

    private static long total(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT total FROM answered_requests_bytes").mapTo(Long.class).one());
    }

    private static long summed(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(bytes), 0) FROM answered_requests")
                .mapTo(Long.class).one());
    }

    private static List<String> keys(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT request_key FROM answered_requests ORDER BY rowid")
                .mapTo(String.class).list());
    }

    /** The file keeps this answer alone, and counts just its bytes. */
    private static void keptAlone(Jdbi jdbi, AnsweredRequests.Answered a, String why) {
        assertEquals(List.of(a.key()), keys(jdbi), why);
        assertEquals(size(a), total(jdbi), why);
    }

    private static SingleWriter writer(Jdbi jdbi) {
        return new SingleWriter(jdbi, new EventOutbox(jdbi));
    }

    @Test
    void pastTheBytesTheOldestAnswersGoFirstHoweverRecent() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        SingleWriter writer = writer(jdbi);
        for (int i = 0; i < 6; i++) {
            remember(writer, answer("c:a" + i, REASON, i));
            assertTrue(total(jdbi) <= BOUND, "after answer " + i + ": " + total(jdbi) + " bytes kept");
            assertEquals(summed(jdbi), total(jdbi));
        }
        // All six within ALWAYS_KEPT_FOR, which the count keeps whatever their number: the bytes are a hard bound.
        assertEquals(List.of("c:a3", "c:a4", "c:a5"), keys(jdbi));
        var newest = answer("c:a5", REASON, 5);
        assertTrue(size(newest) > 2 * REASON, "counted in bytes, not characters: " + size(newest));
        assertEquals(3 * size(newest), total(jdbi));
        assertEquals(newest.answer(), new AnsweredRequests(jdbi).find("c:a5", newest.at()).orElseThrow().answer());
        writer.close();
    }

    @Test
    void anAnswerLargerThanTheWholeBoundIsKeptAloneTillTheNext() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        SingleWriter writer = writer(jdbi);
        remember(writer, answer("c:small", 10, 0));
        var large = answer("c:large", (int) BOUND, 1);
        remember(writer, large);
        keptAlone(jdbi, large, "stored, so that a copy of its request is not carried out again");
        assertTrue(new AnsweredRequests(jdbi).find("c:large", large.at()).isPresent());
        var next = answer("c:next", 10, 2);
        remember(writer, next);
        keptAlone(jdbi, next, "dropped for the next");
        writer.close();
    }

    /** An expired answer's key answered again: its old row's bytes leave the total with it. */
    @Test
    void aKeyAnsweredAgainCountsOnce() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        SingleWriter writer = writer(jdbi);
        remember(writer, answer("c:a0", REASON, 0));
        var again = answer("c:a0", 10, (int) AnsweredRequests.KEPT_FOR.toSeconds() + 1);
        remember(writer, again);
        keptAlone(jdbi, again, "the old row's bytes went with it");
        writer.close();
    }

    @Test
    void theTotalSurvivesAReopenOfTheFile() {
        Path file = dir.resolve("cadre.db");
        Jdbi first = Database.open(file);
        SingleWriter writer = writer(first);
        remember(writer, answer("c:a0", REASON, 0));
        remember(writer, answer("c:a1", REASON, 1));
        writer.close();

        Jdbi reopened = Database.open(file);
        assertEquals(2 * size(answer("c:a0", REASON, 0)), total(reopened));
        SingleWriter again = writer(reopened);
        remember(again, answer("c:a2", REASON, 2));
        remember(again, answer("c:a3", REASON, 3));
        assertEquals(List.of("c:a1", "c:a2", "c:a3"), keys(reopened), "the answers from before the reopen count");
        assertEquals(summed(reopened), total(reopened));
        again.close();
    }

    @Test
    void aRolledBackWriteLeavesTheTotalAsItWas() {
        Jdbi jdbi = Database.open(dir.resolve("cadre.db"));
        SingleWriter writer = writer(jdbi);
        for (int i = 0; i < 3; i++) {
            remember(writer, answer("c:a" + i, REASON, i));
        }
        long before = total(jdbi);
        assertThrows(IllegalStateException.class, () -> writer.write((w, events) -> {
            AnsweredRequests.rememberIn(w, answer("c:a3", REASON, 3), BOUND);
            throw new SQLException("the rest of the write failed");
        }));
        assertEquals(before, total(jdbi));
        assertEquals(List.of("c:a0", "c:a1", "c:a2"), keys(jdbi), "c:a0, dropped for c:a3, is back with the rollback");

        remember(writer, answer("c:a3", REASON, 3));
        assertEquals(List.of("c:a1", "c:a2", "c:a3"), keys(jdbi));
        assertEquals(summed(jdbi), total(jdbi));
        writer.close();
    }

    @Test
    void theJobStoreKeepsAtMostTheBoundsBytes() {
        Path file = dir.resolve("cadre.db");
        Jdbi jdbi = Database.open(file);
        JobStore jobs = new JobStore(jdbi);
        // Four rows claiming a quarter of the bound each, rather than 256 MiB of real answers: the triggers count
        // what a row's bytes column says.
        String small = MessageCodec.encode(new ClientReply.ControlResult(1, true, JobState.PENDING, null));
        jdbi.useTransaction(h -> {
            for (int i = 0; i < 4; i++) {
                h.execute("INSERT INTO answered_requests (request_key, fingerprint, answer, answered_at, bytes)"
                        + " VALUES (?, 'f', ?, ?, ?)", "c:" + i, small, T.plusMillis(i).toEpochMilli(),
                        AnsweredRequests.MOST_BYTES / 4);
            }
        });
        assertEquals(AnsweredRequests.MOST_BYTES, total(jdbi));
        var next = answer("c:new", 10, 1);
        jobs.save(JobWrites.answer(next));
        assertEquals(List.of("c:1", "c:2", "c:3", "c:new"), keys(jdbi));
        assertEquals(AnsweredRequests.MOST_BYTES / 4 * 3 + size(next), total(jdbi));
        jobs.close();
    }

    @Test
    void anUpgradedFileCountsTheAnswersItAlreadyKeepsAfterDroppingThosePastTheBound() {
        Path file = dir.resolve("cadre.db");
        // Past the 256 MiB the newer answers leave it (one answer of 256 MiB and the others' bytes): the migration
        // drops it rather than rewrite it to fill its bytes (review 136 M1), as the bound would drop it first.
        var old = new AnsweredRequests.Answered("c:old", "f", new ClientReply.ControlResult(7, true, JobState.PENDING,
                "x".repeat((int) AnsweredRequests.MOST_BYTES)), T.minusSeconds(3600));
        // An hour old and small: kept, as the 24 hours promise (review 137 L1: a time window dropped it).
        var edge = answer("c:edge", 10, -3599);
        var a0 = answer("c:a0", REASON, 0);
        var a1 = answer("c:a1", 20, 1);
        // The file as the schema before the bound left it (no bytes column, total or triggers), with four answers;
        // the migrations after it (event_outbox.highest_seq, job_events.array_task_id, job_attempts' usage,
        // jobs.cancelled_by, the virtual memory and disk figures, node_events and its index on time, the suspended
        // time, the time-limit shares mailed, attempt_cpus, reservations, attempt_cpus.gpus, nodes.gpu_types,
        // partitions) undone first.
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
            h.execute("ALTER TABLE job_attempts DROP COLUMN user_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN system_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN max_rss_bytes");
            h.execute("ALTER TABLE job_events DROP COLUMN array_task_id");
            h.execute("ALTER TABLE event_outbox DROP COLUMN highest_seq");
            h.execute("DROP TRIGGER answered_requests_added");
            h.execute("DROP TRIGGER answered_requests_dropped");
            h.execute("DROP TRIGGER answered_requests_resized");
            h.execute("DROP TABLE answered_requests_bytes");
            h.execute("ALTER TABLE answered_requests DROP COLUMN bytes");
            h.execute("PRAGMA user_version = " + (version - 16));
            for (var a : List.of(old, edge, a0, a1)) {
                h.execute("INSERT INTO answered_requests (request_key, fingerprint, answer, answered_at)"
                        + " VALUES (?, ?, ?, ?)", a.key(), a.fingerprint(), MessageCodec.encode(a.answer()),
                        a.at().toEpochMilli());
            }
        });

        Jdbi upgraded = Database.open(file);
        assertEquals(List.of(edge.key(), a0.key(), a1.key()), keys(upgraded));
        assertEquals(size(edge) + size(a0) + size(a1), total(upgraded));
        assertEquals(List.of(size(edge), size(a0), size(a1)), upgraded.withHandle(h -> h.createQuery(
                "SELECT bytes FROM answered_requests ORDER BY rowid").mapTo(Long.class).list()));
    }
}
