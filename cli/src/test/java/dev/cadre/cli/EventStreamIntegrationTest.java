package dev.cadre.cli;

import static dev.cadre.cli.RestSession.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.node.NodeResources;
import dev.cadre.node.NodeRunner;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/events against a whole head in this JVM: job and node changes as Server-Sent Events, each with an id,
 * resumed from Last-Event-ID after a reconnect, or a reset when that id cannot be resumed from.
 */
class EventStreamIntegrationTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static RestSession rest;

    @BeforeAll
    static void openSession() throws Exception {
        rest = RestSession.of(HEAD);
    }

    private static SseClient events(String lastEventId) throws Exception {
        SseClient sse = rest.sse("/api/events", lastEventId);
        assertEquals(200, sse.response.statusCode());
        assertEquals("text/event-stream;charset=utf-8", sse.response.headers().firstValue("Content-Type")
                .orElse(""));
        return sse;
    }

    private static JsonNode data(SseClient.Event e) throws Exception {
        return MessageCodec.mapper().readTree(e.data());
    }

    /** The job's events until its end, as "STATE" in order. */
    private static List<SseClient.Event> untilEnded(SseClient sse, long job) throws Exception {
        List<SseClient.Event> seen = new ArrayList<>();
        while (true) {
            SseClient.Event e = sse.await(WAIT, x -> x.event().equals("job") && x.data().contains("\"jobId\":" + job
                    + ","));
            seen.add(e);
            if (data(e).path("state").asText().equals("COMPLETED")) {
                return seen;
            }
        }
    }

    private static List<String> states(List<SseClient.Event> events) throws Exception {
        List<String> out = new ArrayList<>();
        for (SseClient.Event e : events) {
            out.add(data(e).path("state").asText());
        }
        return out;
    }

    @Test
    void jobChangesArriveInOrderAndAReconnectResumesAfterTheLastId() throws Exception {
        List<SseClient.Event> seen;
        try (SseClient sse = events(null)) {
            long id = rest.submit("watched", "alice", "true");
            seen = untilEnded(sse, id);
            assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), states(seen));
            JsonNode first = data(seen.get(0));
            assertEquals("job-state-changed", first.path("type").asText());
            assertEquals("alice", first.path("user").asText());
            assertTrue(first.path("previous").isNull());
            assertTrue(sse.comments().contains("connected"));
        }
        // A client that saw only the first event gets the other two, with the same ids, and then what is new.
        try (SseClient again = events(seen.get(0).id())) {
            SseClient.Event second = again.next(WAIT);
            assertEquals(seen.get(1), second);
            assertEquals(seen.get(2), again.await(WAIT, e -> e.id().equals(seen.get(2).id())));
            long next = rest.submit("after-reconnect", "alice", "true");
            assertEquals(List.of("PENDING", "RUNNING", "COMPLETED"), states(untilEnded(again, next)));
        }
    }

    /** A hold and a release change no state: each comes as a "job" event of type job-updated, as the page shows. */
    @Test
    void aHoldAndAReleaseArriveAsJobUpdates() throws Exception {
        try (SseClient sse = events(null)) {
            long id = rest.submit("held", "alice", "true", java.util.Map.of("hold", "user", "timeLimitSeconds",
                    600));
            rest.ok("POST", "/api/jobs/" + id + "/release", "{}");
            JsonNode released = data(sse.await(WAIT, x -> x.event().equals("job") && x.data().contains("\"jobId\":"
                    + id + ",") && x.data().contains("\"type\":\"job-updated\"")));
            assertTrue(released.path("hold").isNull(), released.toString());
            assertEquals("None", released.path("reason").asText());
            assertEquals("PENDING", released.path("state").asText());
            assertEquals(600, released.path("timeLimitSeconds").asInt());
            assertEquals("COMPLETED", data(sse.await(WAIT, x -> x.event().equals("job") && x.data().contains(
                    "\"jobId\":" + id + ",") && x.data().contains("\"COMPLETED\""))).path("state").asText());
        }
    }

    @Test
    void anIdThatCannotBeResumedFromStartsWithAReset() throws Exception {
        for (String id : new String[] {"0abc-5", "garbage", "x-99999999"}) {
            try (SseClient sse = events(id)) {
                SseClient.Event reset = sse.next(WAIT);
                assertEquals("reset", reset.event(), id);
                assertTrue(data(reset).path("reason").asText().length() > 0);
                assertNotNull(reset.id(), "a reset carries the id to go on from");
            }
        }
    }

    @Test
    void theTokenMayComeAsAQueryParameterAndLastEventIdToo() throws Exception {
        SseClient.Event last;
        ClientFile client = rest.client();
        try (SseClient sse = new SseClient(client.httpUrl() + "/api/events?access_token=" + client.token(), null,
                null)) {
            assertEquals(200, sse.response.statusCode());
            long id = rest.submit("query-token", "alice", "true");
            List<SseClient.Event> seen = untilEnded(sse, id);
            last = seen.get(1);
        }
        try (SseClient sse = new SseClient(client.httpUrl() + "/api/events?access_token=" + client.token()
                + "&lastEventId=" + last.id(), null, null)) {
            assertEquals("COMPLETED", data(sse.await(WAIT, e -> e.event().equals("job"))).path("state").asText());
        }
        try (SseClient refused = rest.sse("/api/events?since=1", null)) {
            assertEquals(400, refused.response.statusCode());
        }
    }

    @Test
    void aNodeJoiningAndFallingSilentIsAnEvent() throws Exception {
        ClientFile nodeFile = ClientFile.read(HEAD.base.resolve("data").resolve(ClientFile.NODE_FILE));
        try (SseClient sse = events(null)) {
            try (Connection c = BrokerConnections.open(nodeFile.brokerUrl(), nodeFile.credentials(), "extra-node");
                 NodeRunner extra = new NodeRunner(c, new NodeRunner.Settings(Files.createTempDirectory(HEAD.base,
                         "extra"), "extra-host", new NodeResources(2, 1024, 0, List.of("127.0.0.2")),
                         Duration.ofMillis(200), Duration.ofSeconds(1), "cadre", null), Clock.systemUTC()).start()) {
                JsonNode up = data(sse.await(WAIT, e -> e.event().equals("node") && e.data().contains("extra-host")));
                assertEquals("node-state-changed", up.path("type").asText());
                assertEquals("UP", up.path("state").asText());
                assertEquals(2, up.path("cores").asInt());
            }
            // The head's node timeout here is 10 s.
            JsonNode down = data(sse.await(WAIT, e -> e.event().equals("node") && e.data().contains("extra-host")));
            assertEquals("DOWN", down.path("state").asText());
            assertEquals("Not responding", down.path("reason").asText());
        }
    }
}
