package dev.cadre.db;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The reads behind the REST API's lists and the status page: searches, counts, and jobs' spans in time. */
public final class JobSearchQueries {
    private final Jdbi jdbi;

    JobSearchQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One page of the jobs the search finds, in its order. */
    public List<JobRecord> list(JobSearch s) {
        Where w = where(s, true);
        String sql = "SELECT " + JobStore.COLUMNS + " FROM jobs WHERE " + w.sql + " ORDER BY id"
                + (s.newestFirst() ? " DESC" : "") + " LIMIT " + s.limit();
        return jdbi.withHandle(h -> w.bind(h.createQuery(sql)).map((rs, ctx) -> JobStore.read(rs)).list());
    }

    /** How many jobs the search finds on all its pages. */
    public long count(JobSearch s) {
        Where w = where(s, false);
        return jdbi.withHandle(h -> w.bind(h.createQuery("SELECT COUNT(*) FROM jobs WHERE " + w.sql))
                .mapTo(Long.class).one());
    }

    /** Every stored job (array records counted once) by state; states without jobs are left out. */
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> out = new EnumMap<>(JobState.class);
        jdbi.useHandle(h -> h.createQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                .map((rs, ctx) -> Map.entry(JobState.valueOf(rs.getString(1)), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * The tasks waiting inside array records beyond the one each record counts as: a pending array is one row
     * holding all its unstarted tasks ({@code array_pending}), and the queue counts each task.
     */
    public long tasksWaitingInArrays() {
        return jdbi.withHandle(h -> h.createQuery("SELECT array_pending FROM jobs WHERE state IN ('PENDING',"
                + " 'REQUEUED') AND array_pending IS NOT NULL").mapTo(String.class)
                .stream().mapToLong(text -> ArrayIndexes.parseStored(text).count() - 1L).sum());
    }

    /**
     * A job's life as the utilization chart needs it.
     *
     * @param started null while it has not started (its current attempt's start otherwise)
     * @param ended null while it has not ended
     * @param cpus the cores its current (or last) allocation holds; 0 without one
     * @param coresByNode those cores by node id, in the allocation's order
     * @param suspensions its current attempt's suspensions (scontrol suspend), in time order
     */
    public record Span(Instant submitted, Instant started, Instant ended, int cpus, Map<String, Integer> coresByNode,
            List<Suspension> suspensions) {
        public Span {
            coresByNode = Collections.unmodifiableMap(new LinkedHashMap<>(coresByNode));
            suspensions = List.copyOf(suspensions);
        }

        /** A span whose cores are on no node known to it and that was never suspended. */
        public Span(Instant submitted, Instant started, Instant ended, int cpus) {
            this(submitted, started, ended, cpus, Map.of(), List.of());
        }
    }

    /**
     * One suspension of a job's attempt.
     *
     * @param resumed when it was resumed, or the job ended while suspended; null while it is suspended still
     */
    public record Suspension(Instant suspended, Instant resumed) {
    }

    /**
     * What the utilization chart of [from, to] is worked out from, read in one read transaction, so that a change
     * committed while it is read (a job suspended, a node gone down) is in all of it or in none.
     *
     * @param spans the jobs alive at some time in the window ({@link #spans})
     * @param nodeEvents each node's accounting history over the window ({@link NodeHistory}): its row in force at
     *        {@code from} and its rows after it, in the order written
     * @param nodes the nodes as they are now
     */
    public record Utilization(List<Span> spans, List<NodeHistory.Event> nodeEvents, List<NodeRecord> nodes) {
        public Utilization {
            spans = List.copyOf(spans);
            nodeEvents = List.copyOf(nodeEvents);
            nodes = List.copyOf(nodes);
        }
    }

    /** The jobs alive in [from, to], the nodes' history over it and the nodes now; see {@link Utilization}. */
    public Utilization utilization(Instant from, Instant to) {
        return ReadTransaction.of(jdbi, h -> {
            List<NodeRecord> nodes = NodeStore.list(h);
            List<NodeHistory.Event> events = NodeHistory.over(h, from, to);
            return new Utilization(spans(h, from, to), events, nodes);
        });
    }

    /** The jobs alive at some time between from and to: submitted by to, not ended before from. */
    public List<Span> spans(Instant from, Instant to) {
        return ReadTransaction.of(jdbi, h -> spans(h, from, to));
    }

    private static List<Span> spans(Handle h, Instant from, Instant to) {
        // The cores are summed by SQLite from the allocation's JSON, which saves parsing every row here; node ids
        // hold neither '=' nor ','.
        String sql = "SELECT id, submit_time, start_time, end_time, COALESCE((SELECT SUM(json_extract(n.value,"
                + " '$.cpus')) FROM json_each(allocation, '$.nodes') n), 0), (SELECT group_concat("
                + "json_extract(n.value, '$.nodeId') || '=' || json_extract(n.value, '$.cpus'), ',')"
                + " FROM json_each(allocation, '$.nodes') n) FROM jobs WHERE submit_time <= :to"
                + " AND (end_time IS NULL OR end_time >= :from)";
        Map<Long, List<Suspension>> suspensions = JobSuspensions.of(h, from, to);
        return h.createQuery(sql).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .map((rs, ctx) -> new Span(Instant.ofEpochMilli(rs.getLong(2)), JobStore.instant(rs, 3),
                        JobStore.instant(rs, 4), rs.getInt(5), coresByNode(rs.getString(6)),
                        suspensions.getOrDefault(rs.getLong(1), List.of()))).list();
    }

    private static Map<String, Integer> coresByNode(String text) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split(",")) {
                int eq = pair.lastIndexOf('=');
                out.merge(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)), Integer::sum);
            }
        }
        return out;
    }

    /** A WHERE clause and what it binds. */
    private record Where(String sql, Map<String, Object> values, List<String> states) {
        Query bind(Query q) {
            values.forEach(q::bind);
            if (!states.isEmpty()) {
                q.bindList("states", states);
            }
            return q;
        }
    }

    private static Where where(JobSearch s, boolean withCursor) {
        List<String> terms = new ArrayList<>(List.of("1 = 1"));
        Map<String, Object> values = new java.util.HashMap<>();
        if (!s.states().isEmpty()) {
            terms.add("state IN (<states>)");
        }
        if (s.user() != null) {
            terms.add("user = :user");
            values.put("user", s.user());
        }
        if (s.name() != null) {
            terms.add("name = :name");
            values.put("name", s.name());
        }
        if (s.text() != null && !s.text().isEmpty()) {
            // instr, not LIKE: the text is matched as it is, '%' and '_' included.
            terms.add("(instr(lower(name), lower(:text)) > 0 OR instr(lower(user), lower(:text)) > 0"
                    + " OR CAST(id AS TEXT) = :text)");
            values.put("text", s.text());
        }
        if (s.node() != null) {
            terms.add("EXISTS (SELECT 1 FROM job_attempts a WHERE a.job_id = jobs.id"
                    + " AND instr(',' || a.nodes || ',', ',' || :node || ',') > 0)");
            values.put("node", s.node());
        }
        between(terms, values, "submit_time", s.submitted());
        between(terms, values, "start_time", s.started());
        between(terms, values, "end_time", s.ended());
        if (withCursor && s.cursor() != null) {
            terms.add(s.newestFirst() ? "id < :cursor" : "id > :cursor");
            values.put("cursor", s.cursor());
        }
        return new Where(String.join(" AND ", terms), values, s.states().stream().map(Enum::name).toList());
    }

    private static void between(List<String> terms, Map<String, Object> values, String column,
            JobSearch.Between range) {
        if (range.from() != null) {
            terms.add(column + " >= :" + column + "_from");
            values.put(column + "_from", range.from().toEpochMilli());
        }
        if (range.to() != null) {
            terms.add(column + " <= :" + column + "_to");
            values.put(column + "_to", range.to().toEpochMilli());
        }
    }
}
