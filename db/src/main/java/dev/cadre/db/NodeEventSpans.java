package dev.cadre.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * sacctmgr show event's reading of the nodes' history (table node_events): each row of the states asked for with its
 * span, from its time to the node's next row (none while it is still in force), filtered and cut to a page by SQLite,
 * so that a long history costs a page of rows, never all of them.
 */
public final class NodeEventSpans {
    /** The most rows one read returns. */
    public static final int MAX_LIMIT = 10_000;

    /**
     * What to read; every list empty means no filter on it.
     *
     * @param start with {@code end}, the window the span must overlap (slurmdbd's time_start &lt; end and time_end
     *        &gt;= start or still open); null for all time
     * @param end null for no end
     * @param nodes host names or node ids
     * @param statuses the rows' statuses, at least one
     * @param users who set the row (a drain's user)
     * @param reasons texts one of which the reason contains (slurmdbd's reason like '%text%')
     * @param minCores with {@code maxCores}, the range of the node's cores, both inclusive; null for any
     */
    public record Filter(Instant start, Instant end, List<String> nodes, Set<NodeHistory.Status> statuses,
            List<String> users, List<String> reasons, Integer minCores, Integer maxCores) {
        public Filter {
            nodes = List.copyOf(nodes);
            statuses = Set.copyOf(statuses);
            users = List.copyOf(users);
            reasons = List.copyOf(reasons);
            if (statuses.isEmpty()) {
                throw new IllegalArgumentException("at least one status");
            }
        }
    }

    /** A row with its end: the time of the node's next row, null while it is the node's last. */
    public record Span(NodeHistory.Event event, Instant end) {
    }

    /** @param truncated more rows matched than the limit let through */
    public record Page(List<Span> spans, boolean truncated) {
    }

    private final Jdbi jdbi;

    NodeEventSpans(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The matching spans by host name, then time (the order of slurmdbd's event table, keyed by node name and start),
     * at most {@code limit} of them.
     */
    public Page read(Filter f, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is not between 1 and " + MAX_LIMIT);
        }
        // The next row of the node comes by the index on (node_id, seq); the rows are reached through the index on
        // time when a window bounds them.
        StringBuilder rows = new StringBuilder("SELECT e.seq, e.node_id, e.hostname, e.time, e.status, e.cores,"
                + " e.reason, e.user, (SELECT n.time FROM node_events n WHERE n.node_id = e.node_id AND n.seq > e.seq"
                + " ORDER BY n.seq LIMIT 1) AS until FROM node_events e WHERE e.status IN (<statuses>)");
        if (f.end() != null) {
            rows.append(" AND e.time < :end");
        }
        if (!f.nodes().isEmpty()) {
            rows.append(" AND (e.hostname IN (<nodes>) OR e.node_id IN (<nodes>))");
        }
        if (!f.users().isEmpty()) {
            rows.append(" AND e.user IN (<users>)");
        }
        for (int i = 0; i < f.reasons().size(); i++) {
            rows.append(i == 0 ? " AND (" : " OR ").append("instr(e.reason, :reason").append(i).append(") > 0");
        }
        rows.append(f.reasons().isEmpty() ? "" : ")");
        if (f.minCores() != null) {
            rows.append(" AND e.cores >= :min");
        }
        if (f.maxCores() != null) {
            rows.append(" AND e.cores <= :max");
        }
        String sql = "SELECT * FROM (" + rows + ")"
                + (f.start() == null ? "" : " WHERE until IS NULL OR until >= :start")
                + " ORDER BY hostname, time, seq LIMIT :limit";
        List<Span> spans = jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bindList("statuses", f.statuses().stream().map(Enum::name).sorted().toList())
                    .bind("limit", limit + 1);
            if (f.end() != null) {
                q.bind("end", f.end().toEpochMilli());
            }
            if (f.start() != null) {
                q.bind("start", f.start().toEpochMilli());
            }
            if (!f.nodes().isEmpty()) {
                q.bindList("nodes", f.nodes());
            }
            if (!f.users().isEmpty()) {
                q.bindList("users", f.users());
            }
            for (int i = 0; i < f.reasons().size(); i++) {
                q.bind("reason" + i, f.reasons().get(i));
            }
            if (f.minCores() != null) {
                q.bind("min", f.minCores());
            }
            if (f.maxCores() != null) {
                q.bind("max", f.maxCores());
            }
            return q.map((rs, ctx) -> span(rs)).list();
        });
        boolean truncated = spans.size() > limit;
        return new Page(truncated ? new ArrayList<>(spans.subList(0, limit)) : spans, truncated);
    }

    private static Span span(ResultSet rs) throws SQLException {
        long until = rs.getLong("until");
        boolean open = rs.wasNull();
        return new Span(new NodeHistory.Event(rs.getString("node_id"), rs.getString("hostname"),
                Instant.ofEpochMilli(rs.getLong("time")), NodeHistory.Status.valueOf(rs.getString("status")),
                rs.getInt("cores"), rs.getString("reason"), rs.getString("user")),
                open ? null : Instant.ofEpochMilli(until));
    }
}
