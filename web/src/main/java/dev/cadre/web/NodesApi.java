package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.NodeUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** /api/nodes and /api/cluster: the nodes with what jobs hold on them, the cluster's summary and its history. */
final class NodesApi {
    static final int MAX_HISTORY_MINUTES = 7 * 24 * 60;
    static final int MAX_HISTORY_POINTS = 1000;
    private final JobStore jobs;
    private final NodeStore nodes;
    private final Clock clock;

    NodesApi(JobStore jobs, NodeStore nodes, Clock clock) {
        this.jobs = jobs;
        this.nodes = nodes;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/nodes", x -> nodes()),
                Route.of("GET", "/api/cluster", x -> summary()),
                Route.of("GET", "/api/cluster/history", this::history).taking("minutes", "points"));
    }

    private List<NodeSummary> nodes() {
        Map<String, NodeUsage> usage = NodeUsage.byNode(jobs.active());
        return nodes.list().stream().map(n -> NodeSummary.of(n, usage.getOrDefault(n.id(), NodeUsage.NONE)))
                .toList();
    }

    private ClusterSummary summary() {
        return ClusterSummary.of(clock.instant(), nodes.list(), NodeUsage.byNode(jobs.active()),
                jobs.search().countByState(), jobs.search().tasksWaitingInArrays());
    }

    /** ?minutes=60 (1 to a week) back from now, in ?points=120 (2 to 1000) evenly spaced points. */
    private UtilizationHistory history(Exchange x) throws ApiException {
        long minutes = QueryParameters.bounded(x.query("minutes"), "minutes", 1, MAX_HISTORY_MINUTES, 60);
        long points = QueryParameters.bounded(x.query("points"), "points", 2, MAX_HISTORY_POINTS, 120);
        var now = clock.instant();
        Duration window = Duration.ofMinutes(minutes);
        long cores = nodes.list().stream().filter(n -> n.state() == NodeRecord.NodeState.UP)
                .mapToLong(NodeRecord::cores).sum();
        return UtilizationHistory.of(jobs.search().spans(now.minus(window), now), now, window, (int) points, cores);
    }
}
