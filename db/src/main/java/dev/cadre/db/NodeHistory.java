package dev.cadre.db;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Each node's accounting history (table node_events): a row whenever what the node counts as changes, holding from its
 * time until the node's next row. The scheduler writes it on those changes alone (a node's state, drain or cores, its
 * removal), never per heartbeat, so it grows with the nodes' transitions; {@link #prune} bounds it with the job
 * history's retention. sreport's cluster Utilization reads it through {@link UsageQueries#cluster}.
 */
public final class NodeHistory {
    /**
     * What a node counts as from a row on: UP (its cores available), DOWN (not responding: Slurm's Down), DRAINED (an
     * administrator's drain: Slurm records a node event for it too, and counts it as Down), REMOVED (deleted: no
     * longer part of the cluster, counted nowhere).
     */
    public enum Status { UP, DOWN, DRAINED, REMOVED }

    /**
     * @param reason the DOWN reason or the drain's, null for UP and REMOVED
     * @param user who drained the node, null otherwise
     */
    public record Event(String nodeId, String hostname, Instant time, Status status, int cores, String reason,
            String user) {
    }

    /** CPU-seconds of a period: of every node that was part of the cluster, and of those down or drained. */
    public record CpuTime(long total, long down) {
    }

    private final Jdbi jdbi;

    NodeHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Appends the events in one transaction, in their order. */
    public void record(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            PreparedBatch b = h.prepareBatch("INSERT INTO node_events (node_id, hostname, time, status, cores, reason,"
                    + " user) VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (Event e : events) {
                b.add(e.nodeId(), e.hostname(), e.time().toEpochMilli(), e.status().name(), e.cores(), e.reason(),
                        e.user());
            }
            b.execute();
        });
    }

    /** Each node's latest event, by node id: what it counts as now, as last recorded. */
    public Map<String, Event> latest() {
        return jdbi.withHandle(h -> {
            Map<String, Event> out = new HashMap<>();
            h.createQuery(SELECT + " WHERE seq IN (SELECT MAX(seq) FROM node_events GROUP BY node_id)")
                    .map((rs, ctx) -> event(rs)).forEach(e -> out.put(e.nodeId(), e));
            return out;
        });
    }

    /** Every event from start (inclusive) to end (exclusive), in the order written. */
    public List<Event> between(Instant start, Instant end) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE time >= ? AND time < ? ORDER BY seq")
                .bind(0, start.toEpochMilli()).bind(1, end.toEpochMilli()).map((rs, ctx) -> event(rs)).list());
    }

    /**
     * What each node counted as from {@code from} to {@code to}: its row in force at {@code from} (its last at or
     * before it) and its rows after it up to {@code to}, in the order written; read on a handle of the caller's (the
     * utilization chart's read transaction).
     */
    static List<Event> over(Handle h, Instant from, Instant to) {
        return h.createQuery(SELECT + " WHERE seq IN (SELECT MAX(seq) FROM node_events WHERE time <= :from GROUP BY"
                + " node_id) OR (time > :from AND time <= :to) ORDER BY seq").bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli()).map((rs, ctx) -> event(rs)).list();
    }

    /**
     * The CPU-seconds of [start, end): each node's cores times the seconds it was UP, DOWN or DRAINED inside it, its
     * last row holding until now; and the part of it DOWN or DRAINED.
     */
    public CpuTime cpuTime(Instant start, Instant end, Instant now) {
        // Each row's span is up to the node's next row (LEAD over the node's rows); only rows before the end matter,
        // and of those only the last before the start and the ones after it reach into the period.
        String spans = "SELECT status, cores, MIN(COALESCE(LEAD(time) OVER (PARTITION BY node_id ORDER BY seq), :now),"
                + " :end) - MAX(time, :start) AS held FROM node_events WHERE time < :end";
        String sql = "SELECT COALESCE(SUM(cores * held), 0), COALESCE(SUM(CASE WHEN status IN ('DOWN', 'DRAINED')"
                + " THEN cores * held ELSE 0 END), 0) FROM (" + spans + ") WHERE held > 0 AND status <> 'REMOVED'";
        return jdbi.withHandle(h -> h.createQuery(sql).bind("start", start.toEpochMilli())
                .bind("end", end.toEpochMilli()).bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new CpuTime(rs.getLong(1) / 1000, rs.getLong(2) / 1000)).one());
    }

    /**
     * Drops what ended before the cutoff: every row older than it but each node's last one before it, which holds on
     * past the cutoff, unless that row is a removal (a removed node counts nowhere).
     *
     * @return how many rows went
     */
    public int prune(Instant cutoff) {
        return jdbi.inTransaction(h -> h.createUpdate("DELETE FROM node_events WHERE time < :cutoff AND (status ="
                + " 'REMOVED' OR seq NOT IN (SELECT MAX(seq) FROM node_events WHERE time < :cutoff GROUP BY node_id))")
                .bind("cutoff", cutoff.toEpochMilli()).execute());
    }

    private static final String SELECT = "SELECT node_id, hostname, time, status, cores, reason, user FROM node_events";

    private static Event event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Event(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                Status.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), rs.getString(7));
    }
}
