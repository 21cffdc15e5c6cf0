package dev.cadre.web;

import static dev.cadre.web.UsageReportApiTest.json;
import static dev.cadre.web.UsageReportApiTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.NodeHistory;
import dev.cadre.db.NodeHistory.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /api/nodes/events against real Jetty and SQLite: node1 down (not responding) from T+30 min to T+90 min, node2
 * drained by alice from T+45 min on; the spans, the window, the filters, the limit, and bad parameters named.
 */
class NodeEventsApiTest {
    private static final Instant T = RunningWebServer.T;

    private static void history(RunningWebServer server) {
        server.nodes.history().record(List.of(
                new NodeHistory.Event("n1", "node1", T.minusSeconds(3600), Status.UP, 8, null, null),
                new NodeHistory.Event("n2", "node2", T, Status.UP, 2, null, null),
                new NodeHistory.Event("n1", "node1", T.plusSeconds(1800), Status.DOWN, 8, "Not responding", null),
                new NodeHistory.Event("n2", "node2", T.plusSeconds(2700), Status.DRAINED, 2, "fan", "alice"),
                new NodeHistory.Event("n1", "node1", T.plusSeconds(5400), Status.UP, 8, null, null)));
    }

    @Test
    void eventsComeWithTheirSpansFilteredAndPaged() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            history(server);
            JsonNode all = json(server.get("/api/nodes/events"));
            assertEquals("{\"events\":[{\"nodeId\":\"n1\",\"hostname\":\"node1\",\"state\":\"DOWN\",\"start\":\""
                    + T.plusSeconds(1800) + "\",\"end\":\"" + T.plusSeconds(5400) + "\",\"cores\":8,\"reason\":"
                    + "\"Not responding\",\"user\":null},{\"nodeId\":\"n2\",\"hostname\":\"node2\",\"state\":"
                    + "\"DRAINED\",\"start\":\"" + T.plusSeconds(2700) + "\",\"end\":null,\"cores\":2,\"reason\":"
                    + "\"fan\",\"user\":\"alice\"}],\"truncated\":false}", all.toString());

            // After node1 came back: the drain alone, still in force.
            JsonNode late = json(server.get("/api/nodes/events?start=" + T.plusSeconds(6000)));
            assertEquals(1, late.path("events").size());
            assertEquals("node2", late.path("events").get(0).path("hostname").asText());
            // Before either: none.
            assertEquals(0, json(server.get("/api/nodes/events?start=" + T.minusSeconds(60) + "&end="
                    + T.plusSeconds(60))).path("events").size());

            assertEquals("node1", json(server.get("/api/nodes/events?nodes=node1,node9")).path("events").get(0)
                    .path("hostname").asText());
            assertEquals(List.of("node2"), hosts(json(server.get("/api/nodes/events?users=alice"))));
            assertEquals(List.of("node1"), hosts(json(server.get("/api/nodes/events?reasons=respond"))));
            assertEquals(List.of("node1"), hosts(json(server.get("/api/nodes/events?states=down"))));
            assertEquals(List.of("node1", "node1", "node2"), hosts(json(server.get("/api/nodes/events?states=UP"))));
            assertEquals(List.of("node2"), hosts(json(server.get("/api/nodes/events?minCores=2&maxCores=4"))));

            JsonNode first = json(server.get("/api/nodes/events?limit=1"));
            assertEquals(List.of("node1"), hosts(first));
            assertTrue(first.path("truncated").asBoolean());
        }
    }

    private static List<String> hosts(JsonNode answer) {
        return java.util.stream.StreamSupport.stream(answer.path("events").spliterator(), false)
                .map(e -> e.path("hostname").asText()).toList();
    }

    @Test
    void badParametersAreRefusedNamingThem() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            refused(server, "/api/nodes/events?start=yesterday", "start", "ISO-8601");
            refused(server, "/api/nodes/events?end=tomorrow", "end", "ISO-8601");
            refused(server, "/api/nodes/events?start=" + T + "&end=" + T, "end", "'end' must be after 'start'");
            refused(server, "/api/nodes/events?states=DOWN,IDLE", "states", "'IDLE'");
            refused(server, "/api/nodes/events?nodes=a,,b", "nodes", "host names");
            refused(server, "/api/nodes/events?users=al%20ice", "users", "'al ice'");
            refused(server, "/api/nodes/events?reasons=fan,,disk", "reasons", "texts");
            refused(server, "/api/nodes/events?reasons=fan,ab%E2%80%AEc", "reasons",
                    "'ab?c' contains U+202E (a bidi override) at character 3");
            refused(server, "/api/nodes/events?reasons=%E2%81%A6disk", "reasons", "U+2066 (a bidi isolate)");
            refused(server, "/api/nodes/events?reasons=fan%C2%85", "reasons", "U+0085 (a C1 control character)");
            refused(server, "/api/nodes/events?reasons=fan%1B%5B2J", "reasons", "U+001B (escape");
            refused(server, "/api/nodes/events?nodes=n1%1B%5B2J", "nodes", "'n1?[2J' is not one");
            refused(server, "/api/nodes/events?minCores=x", "minCores", "whole number");
            refused(server, "/api/nodes/events?minCores=4&maxCores=2", "maxCores", "at least");
            refused(server, "/api/nodes/events?limit=0", "limit", "between 1 and 10000");
            refused(server, "/api/nodes/events?limit=10001", "limit", "between 1 and 10000");
            refused(server, "/api/nodes/events?node=a", "node", "unknown query parameter");
        }
    }
}
