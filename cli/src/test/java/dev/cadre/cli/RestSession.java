package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.MessageCodec;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** The REST API as a test's client uses it: with the head's token, jobs in the test's directory. */
record RestSession(ClientFile client, Path workDir) {
    static final Duration WAIT = Duration.ofSeconds(60);

    static RestSession of(InJvmHead head) throws Exception {
        return new RestSession(ClientFile.read(head.clientFile()), head.base);
    }

    HttpResponse<String> http(String method, String path, String body) throws Exception {
        return RestCall.send(client.httpUrl(), method, path, body, client.token());
    }

    JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        return RestCall.json(r);
    }

    /** A refusal: the status, problem+json, and the field at fault where one is named. */
    static JsonNode refused(int status, String field, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode p = RestCall.json(r);
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("detail").asText().isBlank());
        if (field != null) {
            assertEquals(field, p.path("field").asText(), p.toString());
        }
        return p;
    }

    /** An event stream with the token as the Authorization header; lastEventId sent as Last-Event-ID, or null. */
    SseClient sse(String pathAndQuery, String lastEventId) throws Exception {
        return new SseClient(client.httpUrl() + pathAndQuery, client.token(), lastEventId);
    }

    /** Submits a job running the shell commands, with more spec fields if given; returns its id. */
    long submit(String name, String user, String commands, Map<String, Object> more) throws Exception {
        Map<String, Object> spec = new java.util.LinkedHashMap<>(Map.of("name", name, "user", user, "script",
                "#!/bin/sh\n" + commands + "\n", "workDir", workDir.toString()));
        spec.putAll(more);
        HttpResponse<String> r = http("POST", "/api/jobs", MessageCodec.encodeValue(Map.of("spec", spec)));
        assertEquals(201, r.statusCode(), r.body());
        return RestCall.json(r).path("jobId").asLong();
    }

    long submit(String name, String user, String commands) throws Exception {
        return submit(name, user, commands, Map.of());
    }

    JsonNode awaitJob(long id, Predicate<JsonNode> condition, String what) throws Exception {
        JsonNode[] last = new JsonNode[1];
        CadreProcess.await("job " + id + " " + what, WAIT, () -> {
            try {
                last[0] = ok("GET", "/api/jobs/" + id, null);
                return condition.test(last[0]);
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    JsonNode awaitState(long id, String state) throws Exception {
        return awaitJob(id, j -> j.path("state").asText().equals(state), "to be " + state);
    }
}
