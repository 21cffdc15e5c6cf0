package dev.cadre.db;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The reads and deletes of history retention; what to delete is the caller's decision. Deletes run in their own
 * short transactions beside the scheduler's writer (SQLite serializes them; each holds the write lock only for its
 * batch). The event outbox's numbering is untouched: the job holding the newest event is never offered for
 * deletion unless the caller ignores {@link Held#outbox}.
 */
public final class HistoryPruneStore {
    private static final int IN_LIST = 500;
    private static final String UNFINISHED = "('PENDING', 'RUNNING', 'COMPLETING', 'REQUEUED', 'SUSPENDED')";

    private final Jdbi jdbi;

    public HistoryPruneStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** @param arrayJobId null unless the row belongs to an array */
    public record Row(long id, Long arrayJobId, JobState state, Instant endTime) {
    }

    /**
     * A page of ended rows, oldest end first, with every row of the arrays among them (ended or not).
     *
     * @param rows the page's rows, then the other rows of its arrays
     * @param after where the next page starts, or null when this page was the last
     */
    public record Page(List<Row> rows, Position after) {
    }

    /** A place in the order of (end time, id). */
    public record Position(long endMillis, long id) {
        public static final Position START = new Position(Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /**
     * What must stay whatever its age, as of one moment.
     *
     * @param dependencies those of the unfinished jobs asked for
     * @param highestId the highest job id as of the same moment: the next read need only look above it
     */
    public record Held(List<String> dependencies, Set<Long> outbox, long highestId) {
    }

    /** Drops the nodes' accounting history that ended before the cutoff; see {@link NodeHistory#prune}. */
    public int pruneNodeHistory(Instant cutoff) {
        return new NodeHistory(jdbi).prune(cutoff);
    }

    /** The highest job id ever given: jobs admitted later have ids above it. */
    public long highestId() {
        return jdbi.withHandle(h -> h.createQuery(JobStore.HIGHEST_ID).mapTo(Long.class).one());
    }

    /** Up to limit rows that ended before cutoff, after the given position. */
    public Page endedBefore(Instant cutoff, Position from, int limit) {
        return jdbi.withHandle(h -> {
            // A range on the end-time index from the last position on, not a scan from its start for every page.
            List<Row> page = h.createQuery("SELECT id, array_job_id, state, end_time FROM jobs WHERE end_time < ?"
                    + " AND end_time >= ? AND (end_time > ? OR id > ?) ORDER BY end_time, id LIMIT ?")
                    .bind(0, cutoff.toEpochMilli()).bind(1, from.endMillis()).bind(2, from.endMillis())
                    .bind(3, from.id()).bind(4, limit).map((rs, ctx) -> row(rs)).list();
            if (page.isEmpty()) {
                return new Page(page, null);
            }
            Map<Long, Row> all = new LinkedHashMap<>();
            page.forEach(r -> all.put(r.id(), r));
            List<Long> arrays = page.stream().map(Row::arrayJobId).filter(a -> a != null).distinct().toList();
            for (int i = 0; i < arrays.size(); i += IN_LIST) {
                h.createQuery("SELECT id, array_job_id, state, end_time FROM jobs WHERE array_job_id IN (<arrays>)")
                        .bindList("arrays", arrays.subList(i, Math.min(arrays.size(), i + IN_LIST)))
                        .map((rs, ctx) -> row(rs)).forEach(r -> all.putIfAbsent(r.id(), r));
            }
            Row last = page.get(page.size() - 1);
            return new Page(new ArrayList<>(all.values()),
                    page.size() < limit ? null : new Position(last.endTime().toEpochMilli(), last.id()));
        });
    }

    /** See {@link #held(Handle, long)}; read outside any write transaction. */
    public Held held(long admittedAfter) {
        return jdbi.withHandle(h -> held(h, admittedAfter));
    }

    /**
     * Deletes, in one transaction, the jobs the chooser picks with their events and attempts. The chooser is given
     * what is held as of inside the transaction (the write lock taken): the dependencies of unfinished jobs
     * admitted after admittedAfter, which a read before it could not have seen, and the outbox's jobs.
     *
     * @return how many jobs were deleted
     */
    public int delete(long admittedAfter, java.util.function.Function<Held, List<Long>> chooser) {
        return jdbi.inTransaction(h -> {
            List<Long> ids = chooser.apply(held(h, admittedAfter));
            // Before any row goes: the ids it held are never given again (see job_id_mark).
            h.execute(JobStore.RAISE_ID_MARK);
            int deleted = 0;
            for (int i = 0; i < ids.size(); i += IN_LIST) {
                List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + IN_LIST));
                h.createUpdate("DELETE FROM job_events WHERE job_id IN (<ids>)").bindList("ids", chunk).execute();
                h.createUpdate("DELETE FROM job_attempts WHERE job_id IN (<ids>)").bindList("ids", chunk).execute();
                h.createUpdate("DELETE FROM attempt_cpus WHERE job_id IN (<ids>)").bindList("ids", chunk).execute();
                deleted += h.createUpdate("DELETE FROM jobs WHERE id IN (<ids>)").bindList("ids", chunk).execute();
            }
            return deleted;
        });
    }

    /**
     * The dependency texts of unfinished jobs admitted after the given id (split-off tasks read their array's), and
     * the jobs the outbox holds: those with events not yet marked published, and the one with the newest event
     * (the next event number follows it).
     */
    private static Held held(Handle h, long admittedAfter) {
        // All unfinished jobs through the state index; only the newest through the id range ('+' keeps SQLite off the
        // state index, which would walk every pending job inside the write transaction).
        List<String> dependencies = h.createQuery("SELECT json_extract(COALESCE(NULLIF(spec, ''), (SELECT m.spec FROM"
                + " jobs m WHERE m.id = jobs.array_job_id)), '$.dependency') FROM jobs WHERE "
                + (admittedAfter > 0 ? "+" : "") + "state IN " + UNFINISHED + " AND id > ?").bind(0, admittedAfter)
                .mapTo(String.class).list();
        dependencies.removeIf(d -> d == null);
        Set<Long> outbox = new HashSet<>(h.createQuery("SELECT DISTINCT job_id FROM job_events WHERE seq >"
                + " (SELECT published_seq FROM event_outbox)").mapTo(Long.class).list());
        h.createQuery("SELECT job_id FROM job_events ORDER BY seq DESC LIMIT 1").mapTo(Long.class).findOne()
                .ifPresent(outbox::add);
        return new Held(dependencies, outbox, h.createQuery(JobStore.HIGHEST_ID).mapTo(Long.class).one());
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        long array = rs.getLong(2);
        Long arrayJobId = rs.wasNull() ? null : array;
        return new Row(rs.getLong(1), arrayJobId, JobState.valueOf(rs.getString(3)), JobStore.instant(rs, 4));
    }
}
