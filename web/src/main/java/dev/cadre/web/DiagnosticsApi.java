package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.DiagnosticsSource;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.NodeRecord;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's statistics (sdiag): GET /api/diagnostics, POST /api/diagnostics/reset, and GET /metrics for
 * Prometheus with the jobs and nodes by state besides. All three take the token, as every route but the OpenAPI
 * document does (docs/operations.md, "Scheduler diagnostics").
 */
final class DiagnosticsApi {
    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsApi.class);

    private final DiagnosticsSource diagnostics;
    private final JobStore jobs;
    private final NodeStore nodes;

    DiagnosticsApi(DiagnosticsSource diagnostics, JobStore jobs, NodeStore nodes) {
        this.diagnostics = diagnostics;
        this.jobs = jobs;
        this.nodes = nodes;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/diagnostics", x -> diagnostics.report()),
                Route.of("POST", "/api/diagnostics/reset", this::reset),
                Route.of("GET", "/metrics", this::metrics));
    }

    /**
     * Starts the counts again and answers the new period's report. Whoever holds the token may (sdiag asks it only
     * for an operator, as Slurm does); the optional body {"user": "alice"} names who asked, for the head's log.
     */
    private DiagnosticsReport reset(Exchange x) throws Exception {
        String user = ActionBody.parse(x.body(), "reset", Set.of("user")).text("user");
        if (user != null && !JobSpecValidator.isUserName(user)) {
            throw new ApiException(400, "'user' " + JobSpecValidator.USER_RULE + " (at most 64)", "user");
        }
        diagnostics.reset();
        LOG.info("scheduler statistics reset by {}", user == null ? "api" : user);
        return diagnostics.report();
    }

    private Object metrics(Exchange x) {
        int up = 0;
        int down = 0;
        int drained = 0;
        for (NodeRecord n : nodes.list()) {
            if (n.state() == NodeRecord.NodeState.UP) {
                up++;
            } else {
                down++;
            }
            if (n.drain() != null) {
                drained++;
            }
        }
        String text = MetricsText.render(diagnostics.report(), jobs.search().countByState(), up, down, drained);
        x.response().setStatus(200);
        x.response().getHeaders().put(HttpHeader.CONTENT_TYPE, MetricsText.CONTENT_TYPE);
        Content.Sink.write(x.response(), true, text, x.callback());
        return Exchange.STREAMING;
    }
}
