package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.KillHolds;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.ControlRequestValidator;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /api/nodes and /api/cluster: the nodes with what jobs hold on them (kills not yet confirmed included), the cluster's
 * summary and its history; and draining and resuming a node (scontrol update State=DRAIN|RESUME) and deleting a DOWN
 * one (scontrol delete), carried out by the scheduler like the job actions. Whoever holds the token may drain, as it
 * may hold any job as an administrator.
 */
final class NodesApi {
    static final int MAX_HISTORY_MINUTES = 7 * 24 * 60;
    static final int MAX_HISTORY_POINTS = 1000;
    /** A node id or host name, as node-runners report them. */
    private static final String NODE = "[A-Za-z0-9][A-Za-z0-9._-]{0,252}";
    private static final Map<String, Set<String>> FIELDS = Map.of("drain", Set.of("reason", "user"),
            "resume", Set.of("user"));
    private final JobStore jobs;
    private final NodeStore nodes;
    private final Clock clock;
    private final SchedulerRequests scheduler;

    NodesApi(JobStore jobs, NodeStore nodes, Clock clock, SchedulerRequests scheduler) {
        this.jobs = jobs;
        this.nodes = nodes;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/nodes", x -> nodes()),
                Route.of("POST", "/api/nodes/{id}/{action}", Map.of("id", NODE, "action", "drain|resume"),
                        Route.Access.TOKEN, x -> act(x.parameter(0), x.parameter(1), x.body(), x.idempotencyKey())),
                Route.of("DELETE", "/api/nodes/{id}", Map.of("id", NODE), Route.Access.TOKEN,
                        x -> delete(x.parameter(0), x.query("user"), x.idempotencyKey())).taking("user"),
                Route.of("GET", "/api/cluster", x -> summary()),
                Route.of("GET", "/api/cluster/history", this::history).taking("minutes", "points"));
    }

    private List<NodeSummary> nodes() {
        Map<String, List<KillHolds.Hold>> holds = KillHolds.byNode(nodes.killHolds().list());
        Map<String, NodeUsage> usage = NodeSummary.withHolds(NodeUsage.byNode(jobs.active()), holds);
        return nodes.list().stream().map(n -> NodeSummary.of(n, usage.getOrDefault(n.id(), NodeUsage.NONE),
                holds.getOrDefault(n.id(), List.of()))).toList();
    }

    /**
     * The scheduler's node-result: 404 when no node has the name, 409 when it would not change the node (resuming
     * one that is not drained); a drain without a usable reason, or a user that is not a user name, is 400 before
     * anything is sent.
     */
    private ClientReply.NodeResult act(String node, String action, String body, String key) throws Exception {
        ActionBody fields = ActionBody.parse(body, action, FIELDS.get(action));
        String user = user(fields.text("user"));
        ClientRequest request;
        if (action.equals("drain")) {
            String reason = fields.text("reason");
            String unfit = ControlRequestValidator.drainReasonProblem(reason);
            if (unfit != null) {
                throw new ApiException(400, unfit, "reason");
            }
            request = new ControlRequest.DrainNode(node, reason, user, key);
        } else {
            request = new ControlRequest.ResumeNode(node, user, key);
        }
        return answer(scheduler.send(request));
    }

    /**
     * scontrol delete NodeName=N: the scheduler's node-result, 404 when no node has the name, 409 when it will not
     * forget the node (UP, or still holding a job).
     */
    private ClientReply.NodeResult delete(String node, String user, String key) throws Exception {
        return answer(scheduler.send(new ControlRequest.DeleteNode(node, user(user == null || user.isEmpty() ? null
                : user), key)));
    }

    /** Who asks, "api" when the request does not say; sinfo -R and scontrol show node print it, so one line. */
    private static String user(String given) throws ApiException {
        if (given == null) {
            return "api";
        }
        if (!JobSpecValidator.isUserName(given)) {
            throw new ApiException(400, "'user' " + JobSpecValidator.USER_RULE + " (at most 64)", "user");
        }
        return given;
    }

    private static ClientReply.NodeResult answer(ClientReply reply) throws ApiException {
        if (!(reply instanceof ClientReply.NodeResult r)) {
            throw SchedulerRequests.unexpected(reply);
        }
        if (r.unknown()) {
            throw new ApiException(404, r.reason());
        }
        if (!r.ok()) {
            throw new ApiException(409, r.reason());
        }
        return r;
    }

    private ClusterSummary summary() {
        return ClusterSummary.of(clock.instant(), nodes.list(), NodeSummary.withHolds(NodeUsage.byNode(jobs.active()),
                KillHolds.byNode(nodes.killHolds().list())),
                jobs.search().countByState(), jobs.search().tasksWaitingInArrays());
    }

    /** ?minutes=60 (1 to a week) back from now, in ?points=120 (2 to 1000) evenly spaced points. */
    private UtilizationHistory history(Exchange x) throws ApiException {
        long minutes = QueryParameters.bounded(x.query("minutes"), "minutes", 1, MAX_HISTORY_MINUTES, 60);
        long points = QueryParameters.bounded(x.query("points"), "points", 2, MAX_HISTORY_POINTS, 120);
        var now = clock.instant();
        Duration window = Duration.ofMinutes(minutes);
        return UtilizationHistory.of(jobs.search().utilization(now.minus(window), now), now, window, (int) points);
    }
}
