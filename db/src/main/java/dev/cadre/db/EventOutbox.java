package dev.cadre.db;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The job event log as an outbox for job-state-changed events. The writer publishes what it saved, then
 * reports how far it got ({@link #published}); that mark rides along with the next write transaction, so it
 * costs no transaction of its own. After a crash, {@link #unpublishedEvents} returns every event that may not
 * have reached the broker. Events are thus delivered at least once: a duplicate after a crash is possible,
 * a loss is not.
 *
 * <p>Event sequence numbers are given here rather than by SQLite, from the last committed one kept in memory:
 * this process is the only writer, and asking SQLite for the highest after every batch cost a query per batch.
 * A number given in a transaction that rolls back is given again; after any failed write the numbers are read
 * again from the file ({@link #reload}), so memory never runs ahead of what is stored. A second writer would
 * collide on the primary key and fail loudly rather than publish under a wrong mark.
 */
public final class EventOutbox {
    private static final String STORE_PUBLISHED = "UPDATE event_outbox SET published_seq = ?";
    private final Jdbi jdbi;
    /** The newest committed event; written only under SingleWriter's lock. */
    private volatile long lastEventSeq;
    private volatile long publishedSeq;
    /** The mark as committed to the file; guarded by this. */
    private long storedPublishedSeq;

    EventOutbox(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.useHandle(this::reload);
        this.publishedSeq = storedPublishedSeq;
    }

    /** Reads the newest event and the stored mark from the file: at start and whenever a write failed. */
    synchronized void reload(Handle h) {
        storedPublishedSeq = h.createQuery("SELECT published_seq FROM event_outbox").mapTo(Long.class).one();
        lastEventSeq = h.createQuery("SELECT MAX(highest_seq, COALESCE((SELECT MAX(seq) FROM job_events), 0))"
                + " FROM event_outbox").mapTo(Long.class).one();
    }

    /** The sequence number of the newest event written. */
    public long lastEventSeq() {
        return lastEventSeq;
    }

    /** Every event up to seq is on the broker. */
    public void published(long seq) {
        publishedSeq = Math.max(publishedSeq, seq);
    }

    /** Records the published mark now, for a clean stop. */
    public synchronized void flush() {
        long mark = publishedSeq;
        if (mark > storedPublishedSeq) {
            jdbi.useTransaction(h -> h.execute(STORE_PUBLISHED, mark));
            storedPublishedSeq = mark;
        }
    }

    /** Sequence numbers for the events of one write transaction, following the last committed event. */
    static final class Numbering {
        private long last;

        private Numbering(long last) {
            this.last = last;
        }

        long next() {
            return ++last;
        }
    }

    Numbering numbering() {
        return new Numbering(lastEventSeq);
    }

    /**
     * Called at the end of each write transaction: stores the published mark if it moved.
     *
     * @return the mark the transaction stores, for {@link #committed}
     */
    synchronized long storePublished(WriteConnection w) throws SQLException {
        long mark = publishedSeq;
        if (mark > storedPublishedSeq) {
            PreparedStatement s = w.statement(STORE_PUBLISHED);
            s.setLong(1, mark);
            s.executeUpdate();
        }
        return Math.max(mark, storedPublishedSeq);
    }

    /** The transaction that numbered these events and stored this mark committed. */
    synchronized void committed(Numbering events, long storedMark) {
        lastEventSeq = events.last;
        storedPublishedSeq = storedMark;
    }

    private static Long arrayJobId(ResultSet rs) throws SQLException {
        long id = rs.getLong(11);
        return rs.wasNull() ? null : id;
    }

    /**
     * Events written after the published mark, as they were published, oldest first. The job's canceller is kept once
     * per job, not per event: it goes on the events a cancel makes, a kill's COMPLETING (reason CANCELLED) and a
     * CANCELLED, as the scheduler named it on them (docs/protocol.md 8.1).
     */
    public List<JobEvent.JobStateChanged> unpublishedEvents() {
        return jdbi.withHandle(h -> h.createQuery("SELECT e.job_id, e.from_state, e.to_state, e.reason, e.time,"
                + " e.attempt, j.user, j.name, j.exit_code, j.signal, j.array_job_id, e.array_task_id,"
                + " CASE WHEN e.to_state = 'CANCELLED' OR (e.to_state = 'COMPLETING' AND e.reason = 'CANCELLED')"
                + " THEN j.cancelled_by END"
                + " FROM job_events e JOIN jobs j ON j.id = e.job_id"
                + " WHERE e.seq > (SELECT published_seq FROM event_outbox) ORDER BY e.seq")
                .map((rs, ctx) -> {
                    JobState to = JobState.valueOf(rs.getString(3));
                    boolean ended = to.isTerminal();
                    return new JobEvent.JobStateChanged(rs.getLong(1),
                            rs.getString(2) == null ? null : JobState.valueOf(rs.getString(2)), to, rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getInt(6), rs.getString(7), rs.getString(8),
                            ended ? JobStore.integer(rs, 9) : null, ended ? JobStore.integer(rs, 10) : null,
                            arrayJobId(rs), JobStore.integer(rs, 12), rs.getString(13));
                }).list());
    }
}
