package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.OutputMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /api/jobs/ID/output against real Jetty, a real broker and SQLite, with a node whose answers the test writes:
 * who may give the token in the query, how an attempt's follow ends, and that a step that fails in any way ends
 * the stream with an error instead of leaving it open on keepalives.
 */
class OutputStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
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
    void theTokenIsTakenFromTheQueryOnlyForAFollow() throws Exception {
        long id = server.admit(RunningWebServer.spec("waits", "alice")).id();
        String token = ApiHandler.TOKEN_PARAMETER + "=" + server.users.restToken();
        for (String query : List.of("?" + token, "?follow=false&" + token, "?stream=stdout&" + token)) {
            HttpResponse<String> refused = server.getWithoutHeader("/api/jobs/" + id + "/output" + query);
            assertEquals(400, refused.statusCode(), query);
            assertEquals(ApiHandler.TOKEN_PARAMETER, field(refused), refused.body());
            assertTrue(refused.body().contains("only with follow=true"), refused.body());
        }
        HttpResponse<String> withHeaderToo = server.get("/api/jobs/" + id + "/output?" + token);
        assertEquals(400, withHeaderToo.statusCode(), "a token in the URL is refused even beside the header");
        try (SseClient follow = SseClient.open(server, "/api/jobs/" + id + "/output?follow=true")) {
            assertEquals(200, follow.response.statusCode());
            follow.awaitComment(WAIT, "has not started");
        }
    }

    @Test
    void aFailedCheckWhileTheStartIsAwaitedEndsTheStreamWithAnError() throws Exception {
        JobRecord job = server.admit(RunningWebServer.spec("waits", "alice"));
        try (SseClient follow = SseClient.open(server, "/api/jobs/" + job.id() + "/output?follow=true")) {
            follow.awaitComment(WAIT, "has not started");
            // A record that no longer reads: the check on the next event fails.
            server.jdbi.useHandle(h -> h.execute("UPDATE jobs SET state = 'UNREADABLE' WHERE id = ?", job.id()));
            server.web.eventListener().published(new JobEvent.JobStateChanged(job.id(), JobState.PENDING,
                    JobState.PENDING, "Priority", RunningWebServer.T, 0, "alice", "waits", null, null), "{}");
            JsonNode error = data(follow.await(WAIT, e -> e.event().equals("error")));
            assertEquals(500, error.path("status").asInt());
            assertTrue(error.path("detail").asText().matches("internal error [0-9a-f]{12}: the head's log has .*"),
                    "the failure's id, not its text: " + error);
            follow.awaitEnd(WAIT);
        }
    }

    @Test
    void anUnreadableAnswerFromTheNodeEndsTheStreamWithAnError() throws Exception {
        JobRecord job = running("n1");
        ScriptedNode.output(server.connect("node-n1"), "n1", read -> read.offset() < 0
                ? ScriptedNode.chunk(read, 0, "hello\n", 6, true)
                : new OutputMessage.OutputChunk(read.jobId(), read.attempt(), read.stream(), "/tmp/out", 6, 20,
                        "@@ not base64 @@", true, false, null));
        try (SseClient follow = SseClient.open(server, "/api/jobs/" + job.id() + "/output?follow=true")) {
            assertEquals("hello\n", data(follow.await(WAIT, e -> e.event().equals("output"))).path("text").asText());
            JsonNode error = data(follow.await(WAIT, e -> e.event().equals("error")));
            assertEquals(500, error.path("status").asInt(), error.toString());
            follow.awaitEnd(WAIT);
        }
    }

    @Test
    void anEarlierAttemptEndsWithTheStateItEndedInNotTheJobsCurrentOne() throws Exception {
        JobRecord run = running("n1");
        JobRecord requeued = run.requeued("node n1 stopped", null);
        server.jobs.save(List.of(new JobChange(requeued, JobState.RUNNING, RunningWebServer.T.plusSeconds(60),
                new AttemptRecord(run.id(), 1, "host-n1", RunningWebServer.T, RunningWebServer.T.plusSeconds(60),
                        JobState.NODE_FAIL, null, null, "node n1 stopped")),
                new JobChange(requeued.withState(JobState.PENDING, "Priority"), JobState.REQUEUED,
                        RunningWebServer.T.plusSeconds(60), null)));
        ScriptedNode.output(server.connect("node-n1"), "n1", read -> read.offset() < 0
                ? ScriptedNode.chunk(read, 0, "x\n", 2, false) : ScriptedNode.chunk(read, 2, "", 2, false));
        try (SseClient follow = SseClient.open(server, "/api/jobs/" + run.id() + "/output?follow=true&attempt=1")) {
            assertEquals("x\n", data(follow.await(WAIT, e -> e.event().equals("output"))).path("text").asText());
            JsonNode end = data(follow.await(WAIT, e -> e.event().equals("end")));
            assertEquals(1, end.path("attempt").asInt());
            assertEquals("NODE_FAIL", end.path("state").asText(), "the job itself is PENDING again: " + end);
        }
    }

    @Test
    void theOutputOfAJobWhoseNodeWasDeletedIsAPromptNotFoundNamingTheNode() throws Exception {
        JobRecord run = running("n1");
        server.jobs.save(List.of(new JobChange(run.ended(JobState.COMPLETED, null, 0, null, RunningWebServer.T),
                JobState.RUNNING, RunningWebServer.T, null)));
        server.nodes.delete("n1");
        long t0 = System.nanoTime();
        HttpResponse<String> r = server.get("/api/jobs/" + run.id() + "/output");
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains("node host-n1 (n1), which ran attempt 1 of job " + run.id()
                + ", is no longer known"), r.body());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0,
                "not after the node's read timeout");
    }

    /** A job RUNNING its first attempt on the node, which is UP. */
    private JobRecord running(String nodeId) {
        server.nodes.upsert(new NodeRecord(nodeId, "host-" + nodeId, List.of("127.0.0.1"), 4, 1024, 0,
                NodeRecord.NodeState.UP, RunningWebServer.T, null));
        return server.running(nodeId);
    }

    private static JsonNode data(SseClient.Event e) throws Exception {
        return MessageCodec.mapper().readTree(e.data());
    }

    private static String field(HttpResponse<String> r) throws Exception {
        return MessageCodec.mapper().readTree(r.body()).path("field").asText(null);
    }
}
