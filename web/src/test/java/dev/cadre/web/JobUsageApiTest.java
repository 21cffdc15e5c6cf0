package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.UsageMessage;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/jobs/ID/usage against real Jetty, a real broker and SQLite, with nodes whose answers the test writes:
 * every node of the allocation is asked, its answer lands in its own entry, and a node down, silent or without
 * the attempt is named there rather than failing the whole answer.
 */
class JobUsageApiTest {
    private static final Instant READ = Instant.parse("2026-11-21T10:05:00.120Z");
    private RunningWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void everyNodeOfTheAllocationIsReadAndNamedInItsEntry() throws Exception {
        node("n1", NodeRecord.NodeState.UP);
        node("n2", NodeRecord.NodeState.UP);
        node("n3", NodeRecord.NodeState.DOWN);
        node("n4", NodeRecord.NodeState.UP);
        JobRecord job = server.running("n1", "n2", "n3", "n4");
        ScriptedNode first = ScriptedNode.usage(server.connect("node-n1"), "n1", r -> new UsageMessage.UsageReading(
                r.jobId(), r.attempt(), true, false, new ResourceUsage(61_520_000L, 1_240_000L, 73_400_320L),
                70_254_592L, 312_475_648L, 1_048_576L, 52_428_800L, List.of(48121L, 48133L), READ, null));
        ScriptedNode.usage(server.connect("node-n2"), "n2", r -> new UsageMessage.UsageReading(r.jobId(),
                r.attempt(), false, true, null, null, null, null, null, List.of(), READ, "attempt 1 of job " + r.jobId()
                + " is not running on this node"));
        // n4 is up but never answers.

        HttpResponse<String> answer = server.get("/api/jobs/" + job.id() + "/usage");
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode body = MessageCodec.mapper().readTree(answer.body());
        assertEquals(job.id(), body.path("jobId").asLong());
        assertEquals(1, body.path("attempt").asInt());
        JsonNode nodes = body.path("nodes");
        assertEquals(4, nodes.size(), answer.body());
        JsonNode n1 = nodes.get(0);
        assertEquals("n1", n1.path("nodeId").asText());
        assertEquals("host-n1", n1.path("hostname").asText());
        assertTrue(n1.path("coordinator").asBoolean());
        assertTrue(n1.path("running").asBoolean());
        assertEquals(61_520_000L, n1.path("usage").path("userCpuMicros").asLong());
        assertEquals(73_400_320L, n1.path("usage").path("maxRssBytes").asLong());
        assertEquals(70_254_592L, n1.path("rssBytes").asLong());
        assertEquals(312_475_648L, n1.path("vmSizeBytes").asLong());
        assertEquals(1_048_576L, n1.path("diskReadBytes").asLong());
        assertEquals(52_428_800L, n1.path("diskWriteBytes").asLong());
        assertEquals("[48121,48133]", n1.path("pids").toString());
        assertEquals(READ.toString(), n1.path("time").asText());
        assertTrue(n1.path("error").isNull(), answer.body());
        assertEquals(new UsageMessage.ReadUsage(job.id(), 1), first.asked.get(0));

        JsonNode n2 = nodes.get(1);
        assertEquals(false, n2.path("coordinator").asBoolean());
        assertEquals("attempt 1 of job " + job.id() + " is not running on this node", n2.path("error").asText());
        assertEquals("node host-n3 is DOWN", nodes.get(2).path("error").asText());
        assertEquals("node host-n4 did not answer within 5 s", nodes.get(3).path("error").asText());
        assertTrue(nodes.get(3).path("usage").isNull() && nodes.get(3).path("pids").isEmpty(), answer.body());
        for (String figure : List.of("vmSizeBytes", "diskReadBytes", "diskWriteBytes")) {
            assertTrue(nodes.get(3).has(figure) && nodes.get(3).path(figure).isNull(), answer.body());
        }

        JsonNode documented = MessageCodec.mapper().readTree(server.get("/api/openapi.json").body())
                .path("components").path("schemas").path("NodeUsage").path("properties");
        List<String> missing = new ArrayList<>();
        n1.fieldNames().forEachRemaining(f -> {
            if (!documented.has(f)) {
                missing.add(f);
            }
        });
        assertEquals(List.of(), missing, "answered but not in the OpenAPI document's NodeUsage");
    }

    @Test
    void aJobThatIsNotRunningOrUnknownOrWhoseFirstNodeIsDownIsRefusedWithoutAsking() throws Exception {
        JobRecord waiting = server.admit(RunningWebServer.spec("waits", "alice"));
        HttpResponse<String> pending = server.get("/api/jobs/" + waiting.id() + "/usage");
        assertEquals(409, pending.statusCode(), pending.body());
        JsonNode problem = MessageCodec.mapper().readTree(pending.body());
        assertEquals("PENDING", problem.path("state").asText());
        assertTrue(problem.path("detail").asText().contains("only a running job's usage can be read"), pending.body());

        assertEquals(404, server.get("/api/jobs/999999/usage").statusCode());
        assertEquals(404, server.get("/api/jobs/x1/usage").statusCode(), "no route takes such an id");

        node("d1", NodeRecord.NodeState.DOWN);
        JobRecord onDown = server.running("d1");
        ScriptedNode asked = ScriptedNode.usage(server.connect("node-d1"), "d1", r -> null);
        HttpResponse<String> down = server.get("/api/jobs/" + onDown.id() + "/usage");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("node host-d1 runs job " + onDown.id() + "'s script and is DOWN"),
                down.body());
        assertTrue(asked.asked.isEmpty(), "nothing is sent to a node known to be down");
    }

    private void node(String nodeId, NodeRecord.NodeState state) {
        server.nodes.upsert(new NodeRecord(nodeId, "host-" + nodeId, List.of("127.0.0.1"), 4, 1024, 0, state,
                RunningWebServer.T, null));
    }
}
