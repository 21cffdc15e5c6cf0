package dev.cadre.db;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
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
 */
public final class EventOutbox {
    private final Jdbi jdbi;
    private volatile long lastEventSeq;
    private volatile long publishedSeq;
    private long storedPublishedSeq;

    EventOutbox(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.storedPublishedSeq = jdbi.withHandle(h -> h.createQuery("SELECT published_seq FROM event_outbox")
                .mapTo(Long.class).one());
        this.publishedSeq = storedPublishedSeq;
        this.lastEventSeq = jdbi.withHandle(EventOutbox::maxSeq);
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
    public void flush() {
        jdbi.useTransaction(this::recordPublished);
    }

    /** Called inside each write transaction that may have appended events. */
    void noteEvents(Handle h) {
        lastEventSeq = maxSeq(h);
        recordPublished(h);
    }

    private void recordPublished(Handle h) {
        long mark = publishedSeq;
        if (mark > storedPublishedSeq) {
            h.execute("UPDATE event_outbox SET published_seq = ?", mark);
            storedPublishedSeq = mark;
        }
    }

    private static long maxSeq(Handle h) {
        return h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM job_events").mapTo(Long.class).one();
    }

    /** Events written after the published mark, as they were published, oldest first. */
    public List<JobEvent.JobStateChanged> unpublishedEvents() {
        return jdbi.withHandle(h -> h.createQuery("SELECT e.job_id, e.from_state, e.to_state, e.reason, e.time,"
                + " e.attempt, j.user, j.name, j.exit_code, j.signal FROM job_events e JOIN jobs j ON j.id = e.job_id"
                + " WHERE e.seq > (SELECT published_seq FROM event_outbox) ORDER BY e.seq")
                .map((rs, ctx) -> {
                    JobState to = JobState.valueOf(rs.getString(3));
                    boolean ended = to.isTerminal();
                    return new JobEvent.JobStateChanged(rs.getLong(1),
                            rs.getString(2) == null ? null : JobState.valueOf(rs.getString(2)), to, rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getInt(6), rs.getString(7), rs.getString(8),
                            ended ? JobStore.integer(rs, 9) : null, ended ? JobStore.integer(rs, 10) : null);
                }).list());
    }
}
