package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GET /api/diagnostics, POST /api/diagnostics/reset and GET /metrics against real Jetty and SQLite, the scheduler's
 * own recorder playing what a head's scheduler records.
 */
class DiagnosticsApiTest {
    /** A sample line of the text format 0.0.4: a name, labels, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")?})? (\\S+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void record(RunningWebServer server) {
        JobRecord job = server.admit(RunningWebServer.spec("a", "alice"));
        server.statistics.submitted(3);
        server.statistics.decided(List.of(new JobChange(job.withState(JobState.RUNNING, null), JobState.PENDING,
                RunningWebServer.T, null), new JobChange(job.withState(JobState.COMPLETED, null), JobState.RUNNING,
                RunningWebServer.T, null)));
        server.statistics.passed(2_500_000, 4, 2, 1);
        server.statistics.handled("submit-job", 3, 600_000);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return MessageCodec.mapper().readTree(r.body());
    }

    @Test
    void theReportHasTheRecordedFigures() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            record(server);
            JsonNode r = json(server.get("/api/diagnostics"));
            assertEquals(List.of(3L, 1L, 1L), List.of(r.path("jobs").path("submitted").asLong(),
                    r.path("jobs").path("started").asLong(), r.path("jobs").path("completed").asLong()));
            assertEquals(List.of(1L, 2500L, 4L), List.of(r.path("schedule").path("cycles").asLong(),
                    r.path("schedule").path("maxMicros").asLong(), r.path("schedule").path("meanDepth").asLong()));
            assertEquals("submit-job", r.path("messages").path(0).path("type").asText());
            assertEquals(200, r.path("messages").path(0).path("averageMicros").asLong());
            assertTrue(r.path("serverThreads").asInt() > 0, r.toString());
        }
    }

    @Test
    void aResetTakesTheTokenAndAUserNameAndStartsTheCountsAgain() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            record(server);
            HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(server.url(
                    "/api/diagnostics/reset"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(server.url(
                    "/api/diagnostics/reset"))).header("Authorization", "Bearer nope")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, wrong.statusCode());
            HttpResponse<String> badUser = server.post("/api/diagnostics/reset", "{\"user\": \"a b\"}");
            assertEquals(400, badUser.statusCode());
            assertTrue(badUser.body().contains("\"field\":\"user\""), badUser.body());
            assertEquals(400, server.post("/api/diagnostics/reset", "{\"who\": \"alice\"}").statusCode());
            assertEquals(3, json(server.get("/api/diagnostics")).path("jobs").path("submitted").asLong(),
                    "refused resets reset nothing");

            JsonNode after = json(server.post("/api/diagnostics/reset", "{\"user\": \"alice\"}"));
            assertEquals(List.of(0L, 0L, 0), List.of(after.path("jobs").path("submitted").asLong(),
                    after.path("schedule").path("cycles").asLong(), after.path("messages").size()));
            assertEquals(2, after.path("jobs").path("pending").asInt(), "how things stand is kept");
            assertEquals(200, server.post("/api/diagnostics/reset", "").statusCode(), "the body is optional");
        }
    }

    @Test
    void metricsAreValidPrometheusTextWithTheCountsAndTheJobsAndNodesByState() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            record(server);
            server.admit(RunningWebServer.spec("b", "bob"));
            server.nodes.upsert(new NodeRecord("n1", "n1", List.of(), 4, 1024, 0, NodeRecord.NodeState.UP,
                    RunningWebServer.T, null));
            server.nodes.upsert(new NodeRecord("n2", "n2", List.of(), 4, 1024, 0, NodeRecord.NodeState.DOWN,
                    RunningWebServer.T, "Not responding", new NodeRecord.Drain("disk", "root", RunningWebServer.T)));
            HttpResponse<String> none = server.getWithoutHeader("/metrics");
            assertEquals(401, none.statusCode(), "the token, as every route but the OpenAPI document");
            HttpResponse<String> r = server.get("/metrics");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type")
                    .orElse(""));
            Map<String, Double> samples = parse(r.body());
            assertEquals(3.0, samples.get("cadre_jobs_submitted_total"));
            assertEquals(1.0, samples.get("cadre_jobs_completed_total"));
            assertEquals(1.0, samples.get("cadre_schedule_cycles_total"));
            assertEquals(0.0025, samples.get("cadre_schedule_max_cycle_seconds"), "2.5 ms");
            assertEquals(3.0, samples.get("cadre_messages_total{type=\"submit-job\"}"));
            assertEquals(0.0006, samples.get("cadre_message_seconds_total{type=\"submit-job\"}"));
            assertEquals(2.0, samples.get("cadre_jobs{state=\"PENDING\"}"), "both stored jobs wait");
            assertEquals(0.0, samples.get("cadre_jobs{state=\"RUNNING\"}"));
            assertEquals(1.0, samples.get("cadre_nodes{state=\"UP\"}"));
            assertEquals(1.0, samples.get("cadre_nodes{state=\"DOWN\"}"));
            assertEquals(1.0, samples.get("cadre_nodes_drained"));
        }
    }

    /**
     * Parses the exposition text strictly: every line is a HELP, a TYPE (counter or gauge) or a sample, every sample's
     * metric has its HELP and TYPE lines first, a counter's name ends in _total, and no sample comes twice.
     */
    private static Map<String, Double> parse(String text) {
        assertTrue(text.endsWith("\n"), "the last line ends too");
        Map<String, String> types = new HashMap<>();
        Map<String, Boolean> helped = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped.put(line.split(" ")[2], true);
            } else if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                assertEquals(4, f.length, line);
                assertTrue(f[3].equals("counter") || f[3].equals("gauge"), line);
                assertTrue(helped.containsKey(f[2]), "HELP before TYPE: " + line);
                assertTrue(types.put(f[2], f[3]) == null, "one TYPE per metric: " + line);
            } else {
                Matcher m = SAMPLE.matcher(line);
                assertTrue(m.matches(), "a sample line: " + line);
                String name = m.group(1);
                assertTrue(types.containsKey(name), "TYPE before the samples: " + line);
                if (types.get(name).equals("counter")) {
                    assertTrue(name.endsWith("_total"), line);
                }
                String key = m.group(2) == null ? name : name + m.group(2);
                assertTrue(samples.put(key, Double.parseDouble(m.group(4))) == null, "once: " + line);
            }
        }
        return samples;
    }
}
