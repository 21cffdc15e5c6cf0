package dev.cadre.web;

import dev.cadre.db.NodeEventSpans;
import dev.cadre.db.NodeHistory;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.PrintableText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GET /api/nodes/events: the nodes' events (sacctmgr show event) from their accounting history, each with its start
 * and its end (the node's next row; null while in force), filtered and cut to a page by SQLite.
 */
final class NodeEventsApi {
    static final int DEFAULT_LIMIT = 1000;
    /** More names than any filter needs; bounds the query's IN lists. */
    static final int MAX_NAMES = 1000;
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final int MAX_REASON = 256;

    private final NodeStore nodes;

    NodeEventsApi(NodeStore nodes) {
        this.nodes = nodes;
    }

    /**
     * One event: the row of the node's history that began it, ended by its next row.
     *
     * @param state DOWN (not responding), DRAINED, and with states= asking for them UP or REMOVED
     * @param end null while the event is still in force
     */
    record NodeEvent(String nodeId, String hostname, String state, Instant start, Instant end, int cores,
            String reason, String user) {
        static NodeEvent of(NodeEventSpans.Span s) {
            NodeHistory.Event e = s.event();
            return new NodeEvent(e.nodeId(), e.hostname(), e.status().name(), e.time(), s.end(), e.cores(),
                    e.reason(), e.user());
        }
    }

    /** @param truncated more events matched than {@code limit}: narrow the window or the filters */
    record Events(List<NodeEvent> events, boolean truncated) {
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/nodes/events", this::events).taking("start", "end", "nodes", "states",
                "users", "reasons", "minCores", "maxCores", "limit"));
    }

    private Events events(Exchange x) throws ApiException {
        Instant start = instant(x, "start");
        Instant end = instant(x, "end");
        if (start != null && end != null && !end.isAfter(start)) {
            throw new ApiException(400, "'end' must be after 'start'", "end");
        }
        Integer min = cores(x, "minCores");
        Integer max = cores(x, "maxCores");
        if (min != null && max != null && max < min) {
            throw new ApiException(400, "'maxCores' must be at least 'minCores'", "maxCores");
        }
        int limit = (int) QueryParameters.bounded(x.query("limit"), "limit", 1, NodeEventSpans.MAX_LIMIT,
                DEFAULT_LIMIT);
        NodeEventSpans.Filter filter = new NodeEventSpans.Filter(start, end, names(x, "nodes"), states(x),
                names(x, "users"), reasons(x), min, max);
        NodeEventSpans.Page page = nodes.events().read(filter, limit);
        return new Events(page.spans().stream().map(NodeEvent::of).toList(), page.truncated());
    }

    private static Instant instant(Exchange x, String name) throws ApiException {
        String value = x.query(name);
        return value == null ? null : QueryParameters.instant(name, value);
    }

    private static Integer cores(Exchange x, String name) throws ApiException {
        String value = x.query(name);
        return value == null ? null : (int) QueryParameters.bounded(value, name, 0, Integer.MAX_VALUE, 0);
    }

    /** ?states=DOWN,DRAINED (the default): the statuses of the rows that are events. */
    private static Set<NodeHistory.Status> states(Exchange x) throws ApiException {
        String value = x.query("states");
        if (value == null) {
            return EnumSet.of(NodeHistory.Status.DOWN, NodeHistory.Status.DRAINED);
        }
        Set<NodeHistory.Status> out = EnumSet.noneOf(NodeHistory.Status.class);
        for (String s : value.split(",", -1)) {
            try {
                out.add(NodeHistory.Status.valueOf(s.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "'states' is a comma-separated list of DOWN, DRAINED, UP and REMOVED, not '"
                        + s + "'", "states");
            }
        }
        return out;
    }

    /** ?nodes=a,b (host names or node ids), ?users=alice,bob. */
    private static List<String> names(Exchange x, String name) throws ApiException {
        List<String> out = new ArrayList<>();
        String value = x.query(name);
        if (value == null) {
            return out;
        }
        for (String n : value.split(",", -1)) {
            boolean ok = name.equals("users") ? JobSpecValidator.isUserName(n) : NODE.matcher(n).matches();
            if (!ok) {
                throw new ApiException(400, "'" + name + "' is a comma-separated list of " + (name.equals("users")
                        ? "user names" : "host names or node ids") + "; '" + PrintableText.masked(n)
                        + "' is not one", name);
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        if (out.size() > MAX_NAMES) {
            throw new ApiException(400, "'" + name + "' names at most " + MAX_NAMES, name);
        }
        return out;
    }

    /** ?reasons=disk,fan: events whose reason contains one of them; free text by {@link PrintableText}'s rule. */
    private static List<String> reasons(Exchange x) throws ApiException {
        String value = x.query("reasons");
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String r : value.split(",", -1)) {
            String rule = "'reasons' is a comma-separated list of texts of 1 to " + MAX_REASON + " characters";
            if (r.isEmpty() || r.length() > MAX_REASON) {
                throw new ApiException(400, rule, "reasons");
            }
            // A search term, never stored; held to the free-text rule all the same, as a drain's reason is.
            String why = PrintableText.problem(r).orElse(null);
            if (why != null) {
                throw new ApiException(400, rule + "; '" + PrintableText.masked(r) + "' " + why, "reasons");
            }
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        if (out.size() > MAX_NAMES) {
            throw new ApiException(400, "'reasons' names at most " + MAX_NAMES, "reasons");
        }
        return out;
    }
}
