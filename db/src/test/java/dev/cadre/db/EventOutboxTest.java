package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox numbers events in memory: what it believes it wrote must stay what the file holds, through
 * rolled-back writes and restarts. Against a real SQLite file.
 */
class EventOutboxTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;
    Jdbi jdbi;
    JobStore store;

    @BeforeEach
    void open() {
        jdbi = Database.open(dir.resolve("cadre.db"));
        store = new JobStore(jdbi);
    }

    private long storedMaxSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM job_events").mapTo(Long.class)
                .one());
    }

    private JobRecord admit(String key) {
        return store.admit(List.of(JobStoreTest.job(key, "alice"))).get(0).job();
    }

    @Test
    void eventsAreNumberedOneAfterAnotherAcrossBatches() {
        JobRecord a = admit("a");
        JobRecord b = admit("b");
        store.save(List.of(new JobChange(a.withState(JobState.CANCELLED, null), JobState.PENDING, T, null)));
        assertEquals(List.of(1L, 3L), store.history().events(a.id()).stream().map(JobEventRow::seq).toList());
        assertEquals(List.of(2L), store.history().events(b.id()).stream().map(JobEventRow::seq).toList());
        assertEquals(3, store.outbox().lastEventSeq());
        assertEquals(storedMaxSeq(), store.outbox().lastEventSeq());
    }

    @Test
    void aRolledBackWriteGivesItsNumbersAgainAndStoresNoMark() {
        JobRecord a = admit("a");
        JobRecord b = admit("b");
        store.outbox().published(store.outbox().lastEventSeq());
        // The first change moves a state (an event numbered 3), the second is refused: the whole write rolls back.
        JobChange good = new JobChange(a.withState(JobState.CANCELLED, null), JobState.PENDING, T, null);
        JobChange bad = new JobChange(b.withState(JobState.NODE_FAIL, null), JobState.PENDING, T, null);
        assertThrows(IllegalStateException.class, () -> store.save(List.of(good, bad)));
        assertEquals(2, store.outbox().lastEventSeq(), "nothing of the rolled-back write counts");
        assertEquals(2, storedMaxSeq());

        JobRecord c = admit("c");
        assertEquals(List.of(3L), store.history().events(c.id()).stream().map(JobEventRow::seq).toList());
        assertEquals(3, store.outbox().lastEventSeq());
        // The mark given before the failed write was stored by the one after it: only c's event is unpublished.
        assertEquals(List.of(c.id()), new JobStore(jdbi).outbox().unpublishedEvents().stream()
                .map(JobEvent.JobStateChanged::jobId).toList());
    }

    @Test
    void numberingContinuesFromTheFileAfterARestart() {
        admit("a");
        admit("b");
        store.close();
        JobStore reopened = new JobStore(Database.open(dir.resolve("cadre.db")));
        assertEquals(2, reopened.outbox().lastEventSeq());
        JobRecord c = reopened.admit(List.of(JobStoreTest.job("c", "alice"))).get(0).job();
        assertEquals(List.of(3L), reopened.history().events(c.id()).stream().map(JobEventRow::seq).toList());
        assertEquals(3, reopened.outbox().lastEventSeq());
        assertEquals(3, reopened.outbox().unpublishedEvents().size(), "nothing was marked published");
    }

    /** An event row written by another writer, behind this store's back; returns its job. */
    private JobRecord anotherWriterAppendsAfterTwoAdmissions() {
        admit("a");
        JobRecord b = admit("b");
        jdbi.useHandle(h -> h.execute("INSERT INTO job_events (job_id, time, to_state, attempt) VALUES (?, 0,"
                + " 'PENDING', 0)", b.id()));
        return b;
    }

    @Test
    void afterAFailedWriteTheNumbersAreReadAgainFromTheFile() {
        JobRecord b = anotherWriterAppendsAfterTwoAdmissions();
        JobRecord gone = new JobRecord(999, "none", b.spec(), JobState.CANCELLED, null, 0, null, false, null, null,
                T, null, null);
        assertThrows(IllegalStateException.class,
                () -> store.save(List.of(new JobChange(gone, JobState.PENDING, T, null))));
        JobRecord c = admit("c");
        assertEquals(List.of(4L), store.history().events(c.id()).stream().map(JobEventRow::seq).toList());
        assertEquals(storedMaxSeq(), store.outbox().lastEventSeq());
    }

    @Test
    void aWriteThatWouldReuseANumberFailsRatherThanMisnumbering() {
        anotherWriterAppendsAfterTwoAdmissions();
        assertThrows(IllegalStateException.class, () -> admit("c"), "event number 3 is taken");
        assertTrue(store.findBySubmissionKeys(List.of("c")).isEmpty(), "the failed admission stored nothing");
        JobRecord c = admit("c");
        assertEquals(List.of(4L), store.history().events(c.id()).stream().map(JobEventRow::seq).toList());
    }
}
