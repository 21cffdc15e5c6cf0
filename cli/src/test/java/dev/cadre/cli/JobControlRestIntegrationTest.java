package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /api/jobs/{id}/cancel|hold|release|requeue|update and job ids of array tasks ("12_3"), against the head's
 * real parts in this JVM: the scheduler carries the actions out, the API answers with their outcome.
 */
class JobControlRestIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static ClientFile client;
    private static Path dir;

    @BeforeAll
    static void readClientFile() throws Exception {
        client = ClientFile.read(HEAD.clientFile());
        dir = HEAD.base;
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        return RestCall.send(client.httpUrl(), method, path, body, client.token());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return RestCall.json(r);
    }

    private static JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        return json(r);
    }

    private static long submit(String command, String extraSpec) throws Exception {
        String body = "{\"spec\":{\"name\":\"t\",\"user\":\"alice\",\"script\":\"#!/bin/sh\\n" + command
                + "\\n\",\"workDir\":\"" + dir + "\"" + extraSpec + "}}";
        return ok("POST", "/api/jobs", body).path("jobId").asLong();
    }

    private static JsonNode await(String path, String what, Predicate<JsonNode> condition) throws Exception {
        JsonNode[] last = new JsonNode[1];
        CadreProcess.await(path + " " + what, WAIT, () -> {
            try {
                last[0] = json(http("GET", path, null));
                return condition.test(last[0]);
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    private static JsonNode awaitState(String id, String state) throws Exception {
        return await("/api/jobs/" + id, "to be " + state, j -> j.path("state").asText().equals(state));
    }

    @Test
    void aHeldJobIsUpdatedThenReleasedAndRuns() throws Exception {
        long id = submit("true", ",\"hold\":\"user\"");
        JsonNode held = await("/api/jobs/" + id, "to wait held", j -> j.path("reason").asText().equals("JobHeldUser"));
        assertEquals("user", held.path("hold").asText());
        assertEquals("" + id, held.path("displayId").asText());

        JsonNode done = ok("POST", "/api/jobs/" + id + "/update",
                "{\"timeLimitSeconds\":120,\"nice\":5,\"priority\":77,\"name\":\"renamed\"}");
        assertTrue(done.path("ok").asBoolean(), done.toString());
        JsonNode updated = json(http("GET", "/api/jobs/" + id, null));
        assertEquals(120, updated.path("timeLimitSeconds").asLong());
        assertEquals(5, updated.path("nice").asInt());
        assertEquals(77, updated.path("priority").asLong());
        assertEquals("renamed", updated.path("name").asText());
        ok("POST", "/api/jobs/" + id + "/update", "{\"priority\":-1}");
        assertTrue(json(http("GET", "/api/jobs/" + id, null)).path("priority").isMissingNode(), "computed again");

        assertRefused(400, "nice", "/api/jobs/" + id + "/update", "{\"nice\":20000}");
        assertRefused(400, "timeLimitSeconds", "/api/jobs/" + id + "/update", "{\"timeLimitSeconds\":0}");
        assertRefused(400, "priority", "/api/jobs/" + id + "/update", "{\"priority\":-2}");
        assertRefused(400, "bogus", "/api/jobs/" + id + "/update", "{\"bogus\":1}");
        assertRefused(400, null, "/api/jobs/" + id + "/update", "{}");
        assertRefused(400, "admin", "/api/jobs/" + id + "/release", "{\"admin\":1}");

        ok("POST", "/api/jobs/" + id + "/release", null);
        awaitState("" + id, "COMPLETED");
        HttpResponse<String> again = http("POST", "/api/jobs/" + id + "/release", "");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals(404, http("POST", "/api/jobs/987654/hold", null).statusCode());
        assertEquals(404, http("GET", "/api/jobs/987654_1", null).statusCode());
    }

    /** A client whose first try timed out sends it again under its key: carried out once, answered alike. */
    @Test
    void anUpdateSentTwiceUnderOneIdempotencyKeyIsCarriedOutOnce() throws Exception {
        long id = submit("true", ",\"hold\":\"user\",\"timeLimitSeconds\":600");
        String path = "/api/jobs/" + id + "/update";
        String longer = "{\"timeLimitChangeSeconds\":300}";
        HttpResponse<String> first = RestCall.send(client.httpUrl(), "POST", path, longer, client.token(), "k-1");
        HttpResponse<String> again = RestCall.send(client.httpUrl(), "POST", path, longer, client.token(), "k-1");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(json(first), json(again));
        assertEquals(900, json(http("GET", "/api/jobs/" + id, null)).path("timeLimitSeconds").asLong());

        HttpResponse<String> other = RestCall.send(client.httpUrl(), "POST", path, "{\"nice\":3}", client.token(),
                "k-1");
        assertEquals(409, other.statusCode(), "the key of another request: " + other.body());
        HttpResponse<String> bad = RestCall.send(client.httpUrl(), "POST", path, longer, client.token(), "a key");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("Idempotency-Key", json(bad).path("field").asText());
        ok("POST", path, longer);
        assertEquals(1200, json(http("GET", "/api/jobs/" + id, null)).path("timeLimitSeconds").asLong(),
                "without a key each request is one of its own");
        ok("POST", "/api/jobs/" + id + "/cancel", null);
    }

    @Test
    void aRunningJobCannotBeHeldButIsRequeuedAsASecondAttempt() throws Exception {
        Path gate = dir.resolve("requeue-gate");
        long id = submit("while [ ! -f " + gate + " ]; do sleep 0.1; done", "");
        awaitState("" + id, "RUNNING");
        HttpResponse<String> hold = http("POST", "/api/jobs/" + id + "/hold", null);
        assertEquals(409, hold.statusCode(), hold.body());
        assertEquals("RUNNING", json(hold).path("state").asText());

        ok("POST", "/api/jobs/" + id + "/requeue", "{\"hold\":false}");
        JsonNode second = await("/api/jobs/" + id, "to run again", j -> j.path("attempt").asInt() == 2
                && j.path("state").asText().equals("RUNNING"));
        JsonNode first = second.path("attempts").get(0);
        assertEquals("REQUEUED", first.path("state").asText(), second.toString());
        assertTrue(first.hasNonNull("nodes") && first.hasNonNull("startTime") && first.hasNonNull("endTime"),
                first.toString());
        Files.writeString(gate, "");
        JsonNode done = awaitState("" + id, "COMPLETED");
        assertEquals(2, done.path("attempts").size());
        assertEquals("COMPLETED", done.path("attempts").get(1).path("state").asText());
    }

    @Test
    void arrayTasksAreNamedByTheArrayAndTaskIds() throws Exception {
        long id = submit("true", ",\"array\":\"0-3\",\"hold\":\"user\"");
        JsonNode pending = await("/api/jobs/" + id + "_2", "to be held", j -> j.path("reason").asText()
                .equals("JobHeldUser"));
        assertEquals(id + "_[0-3]", pending.path("displayId").asText(), "a task not yet split off is in the array");
        assertEquals("0-3", pending.path("arrayPending").asText());
        assertEquals(404, http("GET", "/api/jobs/" + id + "_7", null).statusCode(), "no task 7 in 0-3");

        ok("POST", "/api/jobs/" + id + "_2/cancel", null);
        JsonNode cancelled = json(http("GET", "/api/jobs/" + id + "_2", null));
        assertEquals(id + "_2", cancelled.path("displayId").asText());
        assertEquals("CANCELLED", cancelled.path("state").asText());
        assertEquals(id, cancelled.path("arrayJobId").asLong());
        assertEquals(2, cancelled.path("arrayTaskId").asInt());
        HttpResponse<String> conflict = http("POST", "/api/jobs/" + id + "/cancel", "{\"taskId\":1}");
        assertEquals(200, conflict.statusCode(), "the task may be named in the body: " + conflict.body());
        assertRefused(400, "taskId", "/api/jobs/" + id + "_2/cancel", "{\"taskId\":3}");
        JsonNode cancelledTasks = ok("GET", "/api/jobs?state=CANCELLED&id=" + id, null);
        assertEquals(2, cancelledTasks.size(), cancelledTasks.toString());

        ok("POST", "/api/jobs/" + id + "/release", null);
        await("/api/jobs?state=COMPLETED&id=" + id, "to have run tasks 0 and 3", list -> list.size() == 2);
        JsonNode all = ok("GET", "/api/jobs?id=" + id, null);
        assertEquals(4, all.size(), "squeue -j " + id + " sees every part: " + all);
        JsonNode one = ok("GET", "/api/jobs?id=" + id + "_3", null);
        assertEquals(1, one.size());
        assertEquals(id + "_3", one.get(0).path("displayId").asText());
        assertEquals(400, http("GET", "/api/jobs?id=12_x", null).statusCode());
    }

    private static void assertRefused(int status, String field, String path, String body) throws Exception {
        HttpResponse<String> r = http("POST", path, body);
        assertEquals(status, r.statusCode(), r.body());
        if (field != null) {
            assertEquals(field, json(r).path("field").asText(), r.body());
        }
    }
}
