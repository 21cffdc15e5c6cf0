package dev.cadre.cli;

import static dev.cadre.cli.RestSession.WAIT;
import static dev.cadre.cli.RestSession.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/jobs/ID/output against a whole head with a local node in this JVM: the output is read through the
 * broker from the node-runner that wrote it, never from a path a request names.
 */
class JobOutputRestIntegrationTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static RestSession rest;

    @BeforeAll
    static void openSession() throws Exception {
        rest = RestSession.of(HEAD);
    }

    private static JsonNode output(long id, String query) throws Exception {
        return rest.ok("GET", "/api/jobs/" + id + "/output" + query, null);
    }

    private static SseClient follow(long id, String query, String lastEventId) throws Exception {
        SseClient sse = rest.sse("/api/jobs/" + id + "/output?follow=true" + query, lastEventId);
        assertEquals(200, sse.response.statusCode());
        return sse;
    }

    /** The text of every output event, and the end event's data. */
    private static String[] textAndEnd(List<SseClient.Event> events) throws Exception {
        StringBuilder text = new StringBuilder();
        String end = null;
        for (SseClient.Event e : events) {
            if (e.event().equals("output")) {
                text.append(MessageCodec.mapper().readTree(e.data()).path("text").asText());
            } else if (e.event().equals("end") || e.event().equals("error")) {
                end = e.event() + " " + e.data();
            }
        }
        return new String[] {text.toString(), end};
    }

    @Test
    void theLastLinesOfEitherStream() throws Exception {
        long id = rest.submit("lines", "alice", "seq 1 300; echo oops >&2", Map.of("stdout", "lines-%j.out",
                "stderr", "lines-%j.err"));
        rest.awaitState(id, "COMPLETED");
        JsonNode tail = output(id, "?tail=3");
        assertEquals(List.of("298", "299", "300"), MessageCodec.mapper().convertValue(tail.path("lines"), List.class));
        assertTrue(tail.path("truncated").asBoolean());
        assertFalse(tail.path("running").asBoolean());
        long size = Files.size(HEAD.base.resolve("lines-" + id + ".out"));
        assertEquals(size, tail.path("size").asLong());
        assertEquals(size - "298\n299\n300\n".length(), tail.path("offset").asLong());
        assertEquals(HEAD.base.resolve("lines-" + id + ".out").toString(), tail.path("path").asText());
        assertEquals(1, tail.path("attempt").asInt());
        assertEquals(300, output(id, "").path("lines").size() + 200, "100 lines by default");
        assertEquals(0, output(id, "?tail=0").path("lines").size());
        JsonNode err = output(id, "?stream=stderr");
        assertEquals("oops", err.path("lines").get(0).asText());
        assertFalse(err.path("truncated").asBoolean());
        assertEquals(300, output(id, "?tail=10000&attempt=1").path("lines").size());
    }

    @Test
    void badParametersUnknownAttemptsAndJobsNotStartedAreRefused() throws Exception {
        long merged = rest.submit("merged", "alice", "echo both");
        rest.awaitState(merged, "COMPLETED");
        String path = "/api/jobs/" + merged + "/output";
        refused(404, null, rest.http("GET", path + "?stream=stderr", null));
        refused(400, "stream", rest.http("GET", path + "?stream=../../etc/passwd", null));
        refused(400, "tail", rest.http("GET", path + "?tail=-1", null));
        refused(400, "tail", rest.http("GET", path + "?tail=10001", null));
        refused(400, "follow", rest.http("GET", path + "?follow=yes", null));
        refused(400, "path", rest.http("GET", path + "?path=/etc/passwd", null));
        refused(404, null, rest.http("GET", path + "?attempt=2", null));
        long held = rest.submit("held", "alice", "true", Map.of("hold", "user"));
        JsonNode notYet = refused(409, null, rest.http("GET", "/api/jobs/" + held + "/output", null));
        assertEquals("PENDING", notYet.path("state").asText());
        rest.ok("POST", "/api/jobs/" + held + "/cancel", null);
    }

    @Test
    void aFileTheJobReplacedWithALinkOrThatIsTooLargeIsNotReadPastTheLimits() throws Exception {
        Path secret = Files.writeString(HEAD.base.resolve("secret.txt"), "not the job's output\n");
        long linked = rest.submit("linker", "alice", "rm -f link-$SLURM_JOB_ID.out; ln -s " + secret
                + " link-$SLURM_JOB_ID.out", Map.of("stdout", "link-%j.out"));
        rest.awaitState(linked, "COMPLETED");
        JsonNode refused = refused(404, null, rest.http("GET", "/api/jobs/" + linked + "/output", null));
        assertTrue(refused.path("detail").asText().contains("not a regular file"), refused.toString());

        // 3 MiB in one line and then short lines: at most the last 1 MiB is read, and it ends with the short lines.
        long big = rest.submit("big", "alice", "head -c 3145728 /dev/zero | tr '\\0' x; echo; seq 1 5");
        rest.awaitState(big, "COMPLETED");
        JsonNode tail = output(big, "?tail=10000");
        assertEquals(List.of("1", "2", "3", "4", "5"), MessageCodec.mapper().convertValue(tail.path("lines"),
                List.class), "the cut-off long line is left out");
        assertTrue(tail.path("truncated").asBoolean());
    }

    @Test
    void followingGivesAllTheOutputAsItComesThenEnds() throws Exception {
        Path gate = HEAD.base.resolve("follow-gate");
        // Three-byte characters across the 64 KiB chunks, then lines written while the client follows.
        long id = rest.submit("follower", "alice", "head -c 70000 /dev/zero | tr '\\0' 'x' | sed 's/x/€/g';"
                + " echo; echo first; while [ ! -f " + gate + " ]; do sleep 0.05; done; echo second");
        try (SseClient sse = follow(id, "&tail=5", null)) {
            SseClient.Event first = sse.await(WAIT, e -> e.event().equals("output") && e.data().contains("first"));
            assertTrue(first.id().startsWith("1:"), first.id());
            Files.writeString(gate, "");
            String[] after = textAndEnd(sse.untilEnd(WAIT));
            assertEquals("second\n", after[0]);
            assertTrue(after[1].startsWith("end ") && after[1].contains("\"state\":\"COMPLETED\""), after[1]);
        }
        // From the start: every character whole, every line in order.
        try (SseClient all = follow(id, "&tail=10000", null)) {
            String[] text = textAndEnd(all.untilEnd(WAIT));
            assertEquals("€".repeat(70000) + "\nfirst\nsecond\n", text[0]);
        }
    }

    @Test
    void aReconnectResumesAfterTheLastEventAndAJobNotYetStartedIsWaitedFor() throws Exception {
        long id = rest.submit("waits", "alice", "echo one; echo two", Map.of("hold", "user"));
        String[] text;
        try (SseClient sse = follow(id, "", null)) {
            CadreProcess.await("the stream to say it waits for the job", WAIT, () -> sse.comments().stream()
                    .anyMatch(c -> c.equals("job " + id + " has not started; waiting for it")));
            rest.ok("POST", "/api/jobs/" + id + "/release", null);
            text = textAndEnd(sse.untilEnd(WAIT));
        }
        assertEquals("one\ntwo\n", text[0]);
        try (SseClient resumed = follow(id, "", "1:4")) {
            String[] after = textAndEnd(resumed.untilEnd(WAIT));
            assertEquals("two\n", after[0], "resumed after byte 4 of attempt 1");
        }
        try (SseClient other = follow(id, "&tail=1", "2:4")) {
            assertEquals("two\n", textAndEnd(other.untilEnd(WAIT))[0], "an id of another attempt starts over");
        }
    }

    @Test
    void followingAnArrayTaskNotYetStartedGivesThatTasksOutput() throws Exception {
        // One task at a time: task 2 starts last and keeps the array's record, task 1 gets an id of its own.
        long id = rest.submit("tasks", "alice", "echo task $SLURM_ARRAY_TASK_ID", Map.of("hold", "user",
                "array", "0-2%1"));
        String[] text;
        try (SseClient sse = rest.sse("/api/jobs/" + id + "_1/output?follow=true", null)) {
            assertEquals(200, sse.response.statusCode());
            CadreProcess.await("the stream to say it waits for the task", WAIT, () -> sse.comments().stream()
                    .anyMatch(c -> c.equals("task " + id + "_1 has not started; waiting for it")));
            rest.ok("POST", "/api/jobs/" + id + "/release", null);
            text = textAndEnd(sse.untilEnd(WAIT));
        }
        assertEquals("task 1\n", text[0], "task 1's output, not that of the task that kept the array's record");
        assertTrue(text[1].startsWith("end ") && text[1].contains("COMPLETED"), text[1]);
    }
}
