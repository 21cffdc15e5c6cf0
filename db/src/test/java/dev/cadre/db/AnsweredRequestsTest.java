package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The answers to control requests carried out: kept across a reopen of the file, dropped after a day. */
class AnsweredRequestsTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path dir;

    private static void save(JobStore jobs, AnsweredRequests.Answered a) {
        jobs.save(JobWrites.answer(a));
    }

    @Test
    void anAnswerIsFoundAgainAfterTheFileIsReopened() {
        Path file = dir.resolve("cadre.db");
        var answer = new ClientReply.ControlResult(42, true, JobState.PENDING, null);
        JobStore jobs = new JobStore(Database.open(file));
        save(jobs, new AnsweredRequests.Answered("c:r-1", "f1", answer, T));
        jobs.close();

        JobStore reopened = new JobStore(Database.open(file));
        var found = reopened.answeredRequests().find("c:r-1", T).orElseThrow();
        assertEquals(answer, found.answer());
        assertEquals("f1", found.fingerprint());
        assertEquals(T, found.at());
        assertTrue(reopened.answeredRequests().find("c:r-2", T).isEmpty());
        reopened.close();
    }

    @Test
    void answersOlderThanTheRetentionAreDroppedByTheNextOne() {
        JobStore jobs = new JobStore(Database.open(dir.resolve("cadre.db")));
        var answer = new ClientReply.CancelResult(7, true, JobState.CANCELLED, null);
        save(jobs, new AnsweredRequests.Answered("c:old", "f", answer, T));
        save(jobs, new AnsweredRequests.Answered("c:recent", "f", answer, T.plus(AnsweredRequests.KEPT_FOR)));
        Instant dayLater = T.plus(AnsweredRequests.KEPT_FOR);
        assertTrue(jobs.answeredRequests().find("c:old", dayLater).isPresent(), "exactly a day old is still kept");
        assertTrue(jobs.answeredRequests().find("c:old", dayLater.plusMillis(1)).isEmpty(),
                "older than a day, not served although no later answer dropped it yet");
        save(jobs, new AnsweredRequests.Answered("c:new", "f", answer, T.plus(AnsweredRequests.KEPT_FOR)
                .plusMillis(1)));
        assertTrue(jobs.answeredRequests().find("c:old", dayLater).isEmpty());
        assertTrue(jobs.answeredRequests().find("c:recent", dayLater).isPresent());
        assertTrue(jobs.answeredRequests().find("c:new", dayLater).isPresent());
        jobs.close();
    }

    /** {@code n} answers straight into the file, one a millisecond from {@code from}, keys c:0 to c:(n-1). */
    private static void answered(Path file, int n, Instant from) {
        String answer = dev.cadre.protocol.MessageCodec.encode(new ClientReply.ControlResult(1, true, JobState.PENDING,
                null));
        Database.open(file).useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO answered_requests (request_key, fingerprint, answer, answered_at)"
                    + " VALUES (?, 'f', ?, ?)");
            for (int i = 0; i < n; i++) {
                batch.bind(0, "c:" + i).bind(1, answer).bind(2, from.plusMillis(i).toEpochMilli()).add();
            }
            batch.execute();
        });
    }

    private static long count(Path file) {
        return Database.open(file).withHandle(h -> h.createQuery("SELECT COUNT(*) FROM answered_requests")
                .mapTo(Long.class).one());
    }

    private static final int OVER = 5;

    /** The bound's count and {@link #OVER} more answers from {@code T} on, then one more answered at {@code now}. */
    private JobStore pastTheCountThenOneAt(Path file, Instant now) {
        JobStore jobs = new JobStore(Database.open(file));
        answered(file, AnsweredRequests.MOST_KEPT + OVER, T);
        save(jobs, new AnsweredRequests.Answered("c:new", "f", new ClientReply.CancelResult(7, true,
                JobState.CANCELLED, null), now));
        return jobs;
    }

    @Test
    void pastTheCountTheOldestAnswersAreDropped() {
        Path file = dir.resolve("cadre.db");
        Instant now = T.plus(AnsweredRequests.ALWAYS_KEPT_FOR).plusSeconds(200);
        JobStore jobs = pastTheCountThenOneAt(file, now);
        assertEquals(AnsweredRequests.MOST_KEPT, count(file));
        assertTrue(jobs.answeredRequests().find("c:" + OVER, now).isEmpty(), "the oldest go first");
        assertTrue(jobs.answeredRequests().find("c:" + (OVER + 1), now).isPresent());
        assertTrue(jobs.answeredRequests().find("c:new", now).isPresent());
        jobs.close();
    }

    /** A burst of requests must not drop the answer that a slow client asks for again within its patience. */
    @Test
    void answersOfTheLastMinutesAreKeptPastTheCount() {
        Path file = dir.resolve("cadre.db");
        Instant now = T.plus(AnsweredRequests.ALWAYS_KEPT_FOR).minusSeconds(60);
        JobStore jobs = pastTheCountThenOneAt(file, now);
        // Before, the count dropped c:0 to c:5, answered minutes before.
        assertEquals(AnsweredRequests.MOST_KEPT + OVER + 1, count(file));
        assertTrue(jobs.answeredRequests().find("c:0", now).isPresent());
        jobs.close();
    }
}
