package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.NodeHistory;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /api/usage against real Jetty and SQLite: alice's 4-CPU job ran an hour, bob's 1-CPU jobs ran 10 and 20 minutes,
 * on an 8-CPU node; the window cuts, the user filter, and bad parameters named.
 */
class UsageReportApiTest {
    private static final Instant T = RunningWebServer.T;

    private static void ran(RunningWebServer server, String user, int cpus, Instant from, Instant to)
            throws Exception {
        JobRecord j = server.admit(RunningWebServer.spec("j", user));
        JobRecord running = j.started(1, new Allocation(List.of(new Allocation.NodeSlots("n1", "node1", 1, cpus, 0,
                0))), from);
        server.jobs.save(List.of(new JobChange(running, JobState.PENDING, from, new AttemptRecord(j.id(), 1, "node1",
                from, null, null, null, null, null))));
        server.jobs.save(List.of(new JobChange(running.ended(JobState.COMPLETED, null, 0, 0, to), JobState.RUNNING, to,
                new AttemptRecord(j.id(), 1, "node1", from, to, JobState.COMPLETED, 0, 0, null))));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return MessageCodec.mapper().readTree(r.body());
    }

    @Test
    void usageIsSummedByUserAndSizeInsideTheWindow() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            server.nodes.upsert(new NodeRecord("n1", "node1", List.of(), 8, 4096, 0, NodeRecord.NodeState.UP, T,
                    null));
            ran(server, "alice", 4, T, T.plusSeconds(3600));
            ran(server, "bob", 1, T.plusSeconds(600), T.plusSeconds(1200));
            ran(server, "bob", 1, T.plusSeconds(1800), T.plusSeconds(3000));

            JsonNode all = json(server.get("/api/usage?start=" + T + "&end=" + T.plusSeconds(7200)));
            assertEquals(8, all.path("clusterCpus").asLong());
            assertEquals(T.toString(), all.path("start").asText());
            assertEquals("[{\"user\":\"alice\",\"cpus\":4,\"jobs\":1,\"cpuSeconds\":14400},"
                    + "{\"user\":\"bob\",\"cpus\":1,\"jobs\":2,\"cpuSeconds\":1800}]", all.path("usage").toString());

            // The last half hour: alice's last 30 minutes, the end of bob's second job.
            JsonNode cut = json(server.get("/api/usage?start=" + T.plusSeconds(1800) + "&end=" + T.plusSeconds(3600)
                    + "&user=bob"));
            assertEquals("[{\"user\":\"bob\",\"cpus\":1,\"jobs\":1,\"cpuSeconds\":1200}]", cut.path("usage").toString());
        }
    }

    @Test
    void theClusterUtilizationSplitsTheNodesTimeFromTheirHistory() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            // n1 (8 cores) up from T-1 h, down from T+30 min; alice's 4-CPU job ran its first 20 minutes.
            server.nodes.history().record(List.of(new NodeHistory.Event("n1", "node1", T.minusSeconds(3600),
                    NodeHistory.Status.UP, 8, null, null), new NodeHistory.Event("n1", "node1", T.plusSeconds(1800),
                    NodeHistory.Status.DOWN, 8, "Not responding", null)));
            ran(server, "alice", 4, T, T.plusSeconds(1200));
            JsonNode u = json(server.get("/api/usage/cluster?start=" + T + "&end=" + T.plusSeconds(3600)));
            assertEquals(T.plusSeconds(3600).toString(), u.path("end").asText());
            assertEquals("{\"reported\":28800,\"allocated\":4800,\"down\":14400,\"plannedDown\":0,"
                    + "\"idle\":9600,\"planned\":0}", u.path("cpuSeconds").toString());
        }
    }

    @Test
    void badParametersAreRefusedNamingThem() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            String end = "&end=" + T.plusSeconds(60);
            refused(server, "/api/usage?end=" + T, "start", "'start' is required");
            refused(server, "/api/usage?start=" + T, "end", "'end' is required");
            refused(server, "/api/usage?start=yesterday" + end, "start", "ISO-8601");
            refused(server, "/api/usage?start=" + T + "&end=" + T, "end", "'end' must be after 'start'");
            refused(server, "/api/usage?start=" + T + end + "&user=al%20ice", "user", "'al ice'");
            refused(server, "/api/usage?start=" + T + end + "&user=bob,,carol", "user", "user names");
            refused(server, "/api/usage?start=" + T + end + "&users=bob", "users", "unknown query parameter");
            refused(server, "/api/usage/cluster?end=" + T, "start", "'start' is required");
            refused(server, "/api/usage/cluster?start=" + T + "&end=tomorrow", "end", "ISO-8601");
            refused(server, "/api/usage/cluster?start=" + T + "&end=" + T, "end", "'end' must be after 'start'");
            refused(server, "/api/usage/cluster?start=" + T + end + "&user=bob", "user", "unknown query parameter");
        }
    }

    static void refused(RunningWebServer server, String path, String field, String text) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode problem = MessageCodec.mapper().readTree(r.body());
        assertEquals(field, problem.path("field").asText(), r.body());
        assertTrue(problem.path("detail").asText().contains(text), r.body());
    }
}
