package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.PartitionRefusal;
import dev.cadre.protocol.PartitionRequest;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ServiceRefusal;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every operation of the API's own description (/api/openapi.json) against hostile input, over plain sockets to a
 * real server on a real store ({@link HostileRequests} makes the requests): each is answered with a 4xx (never a
 * 5xx, within RawHttp's timeout) and an application/problem+json whose field or detail names what is wrong, without
 * a Java class or stack trace, and changes nothing: the jobs, nodes, services, diagnostics and every table's row
 * count are as before, and no request reached the scheduler but where only it can tell that a node or service does
 * not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteBadInputTest {
    /**
     * Hostile-looking input a route takes by design, as documented (web/README.md, docs/openapi.json), keyed by
     * operation and the start of the case's description.
     */
    private static final Map<String, String> TAKEN = Map.ofEntries(
            filter("user"), filter("name"), filter("q"), filter("node"),
            Map.entry("GET /api/events with lastEventId=", "an id the head does not know starts the stream with a"
                    + " reset event (web/README.md, Events)"));
    /** Class and package names, stack frames; and Jackson quotes its classes and settings in backticks. */
    private static final Pattern JAVA = Pattern.compile("(?:java|jakarta|javax|org\\.eclipse|com\\.fasterxml"
            + "|org\\.jdbi|org\\.sqlite|dev\\.cadre)\\.[a-z]|Exception\\b|\\bat [a-z]+\\.[a-z]");
    private RunningWebServer server;
    private HostileRequests hostile;
    private final List<ClientRequest> reachedScheduler = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        server = new RunningWebServer(WebServer.Limits.DEFAULT);
        assertEquals(Long.parseLong(ValidRequests.JOB), server.admit(RunningWebServer.spec("waits", "alice")).id());
        server.admit(RunningWebServer.spec("other", "bob"));
        server.nodes.upsert(new NodeRecord(ValidRequests.NODE, "node1", List.of(), 4, 1024, 0,
                NodeRecord.NodeState.UP, RunningWebServer.T, null));
        playTheScheduler();
        JsonNode document = MessageCodec.mapper().readTree(server.get("/api/openapi.json").body());
        hostile = new HostileRequests(document, server.users.restToken());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /** Records every request; says "no such node" or "no such service" to those, and rejects anything else. */
    private void playTheScheduler() throws Exception {
        Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = session.createProducer(null);
        session.createConsumer(session.createQueue(Destinations.SUBMIT)).setMessageListener(m -> {
            try {
                ClientRequest request = MessageCodec.decode(((TextMessage) m).getText(), ClientRequest.class);
                reachedScheduler.add(request);
                ClientReply reply = request instanceof ControlRequest.DeleteNode d ? unknownNode(d.node())
                        : request instanceof ControlRequest.DrainNode d ? unknownNode(d.node())
                        : request instanceof ControlRequest.ResumeNode r ? unknownNode(r.node())
                        : request instanceof ClientRequest.UpdateService u ? unknownService(u.name())
                        : request instanceof ClientRequest.DeleteService d ? unknownService(d.name())
                        : request instanceof ReservationRequest.UpdateReservation r ? unknownReservation(r.name())
                        : request instanceof ReservationRequest.DeleteReservation r ? unknownReservation(r.name())
                        : request instanceof PartitionRequest.UpdatePartition r ? unknownPartition(r.name())
                        : request instanceof PartitionRequest.DeletePartition r ? unknownPartition(r.name())
                                : new ClientReply.JobRejected(null, RejectionCode.MALFORMED, "test scheduler", null);
                TextMessage text = session.createTextMessage(MessageCodec.encode(reply));
                text.setJMSCorrelationID(m.getJMSCorrelationID());
                replies.send(m.getJMSReplyTo(), text);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Map.Entry<String, String> filter(String name) {
        return Map.entry("GET /api/jobs with " + name + "=", "a filter's text that no job has finds no job: an"
                + " empty page (web/README.md, Listing jobs)");
    }

    private static ClientReply unknownNode(String node) {
        return new ClientReply.NodeResult(node, false, null, null, "no node is named " + node, true);
    }

    private static ClientReply unknownReservation(String name) {
        return ClientReply.ReservationResult.refused(name, ReservationRefusal.NOT_FOUND, "reservation " + name
                + " does not exist");
    }

    private static ClientReply unknownPartition(String name) {
        return ClientReply.PartitionResult.refused(name, PartitionRefusal.NOT_FOUND, "partition " + name
                + " does not exist");
    }

    private static ClientReply unknownService(String name) {
        return ClientReply.ServiceResult.refused(name, null, ServiceRefusal.NOT_FOUND, "service " + name
                + " does not exist");
    }

    @Test
    void everyOperationOfTheDocumentHasItsValidInputHereSoThatNoneGoesUnchecked() {
        assertEquals(new TreeSet<>(ValidRequests.BY_OPERATION.keySet()), new TreeSet<>(hostile.operations()),
                "add each new operation to ValidRequests.BY_OPERATION (and the served routes are the document's:"
                        + " RestApiIntegrationTest)");
    }

    @TestFactory
    Stream<DynamicTest> hostileInputIsRefusedNamingTheProblemAndChangesNothing() {
        return hostile.operations().stream().filter(ValidRequests.BY_OPERATION::containsKey)
                .map(op -> DynamicTest.dynamicTest(op, () -> check(op)));
    }

    private void check(String operation) throws Exception {
        Map<String, String> before = snapshot();
        List<String> failures = new ArrayList<>();
        for (HostileRequests.Case c : hostile.of(operation)) {
            reachedScheduler.clear();
            RawHttp r;
            try {
                r = RawHttp.exchange(server, c.method(), c.target(), c.lines(), c.body());
            } catch (java.io.IOException e) {
                failures.add(c + ": no answer: " + e);
                continue;
            }
            String problem = problem(c, r);
            if (problem != null) {
                failures.add(c + ": " + problem);
            }
            if (!c.schedulerDecides() && !reachedScheduler.isEmpty()) {
                failures.add(c + ": reached the scheduler: " + reachedScheduler);
            }
        }
        assertEquals("", String.join("\n", failures), operation);
        assertEquals(before, snapshot(), operation + " changed something");
    }

    /** The refusals this test found wanting, each as it is now worded. */
    @Test
    void refusalsOnceWrongNameTheProblem() throws Exception {
        String auth = "Authorization: Bearer " + server.users.restToken();
        RawHttp twoValues = RawHttp.exchange(server, "POST", "/api/jobs/1/hold", List.of(auth),
                "{\"admin\": true} {}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("malformed JSON at line 1, column 17: more than one JSON value; send one", twoValues.detail(),
                "Jackson's class and setting names stay in the server");
        RawHttp text = RawHttp.exchange(server, "POST", "/api/diagnostics/reset", List.of(auth,
                "Content-Type: text/plain"), "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(415, text.status(), "a body that is not JSON by its type is not taken as JSON: " + text);
        assertEquals("Content-Type", text.field());
        RawHttp none = RawHttp.exchange(server, "POST", "/api/services", List.of(auth),
                "null".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("the body must be a JSON object: the service's spec, not null", none.detail(),
                "refused before the scheduler hears of it: " + none);
        RawHttp after = RawHttp.send(server, "GET", "/api/jobs?after=-1");
        assertEquals("after", after.field(), after.toString());
        RawHttp twoTokens = RawHttp.send(server, "GET", "/api/events?access_token=wrong");
        assertEquals(400, twoTokens.status(), "a second token is not ignored: " + twoTokens);
        assertEquals("access_token", twoTokens.field());
        assertEquals(List.of(), reachedScheduler);
    }

    /** What is wrong with the answer, or null. */
    private static String problem(HostileRequests.Case c, RawHttp r) throws Exception {
        for (var e : TAKEN.entrySet()) {
            if (c.toString().startsWith(e.getKey())) {
                return r.status() == 200 ? null : "taken by design (" + e.getValue() + "), but answered " + r;
            }
        }
        if (!c.statuses().contains(r.status())) {
            return "answered " + r.status() + ", not " + c.statuses() + ": " + r;
        }
        if (!"application/problem+json".equals(r.headers().get("content-type"))) {
            return "not a problem: " + r;
        }
        JsonNode body = MessageCodec.mapper().readTree(r.body());
        if (body.path("status").asInt() != r.status() || !body.path("type").asText().equals("about:blank")
                || body.path("title").asText().isEmpty() || body.path("detail").asText().isBlank()) {
            return "not the documented Problem: " + r.body();
        }
        String said = (body.path("field").asText() + " " + body.path("detail").asText()).toLowerCase(Locale.ROOT);
        if (!said.contains(c.names().toLowerCase(Locale.ROOT))) {
            return "does not name '" + c.names() + "': " + r.body();
        }
        if (JAVA.matcher(body.path("detail").asText()).find() || body.path("detail").asText().contains("`")) {
            return "names Java's insides: " + r.body();
        }
        return null;
    }

    /** What a refused request must leave as it was: the API's views and every table's row count. */
    private Map<String, String> snapshot() throws Exception {
        Map<String, String> s = new TreeMap<>();
        for (String view : List.of("/api/jobs?limit=10000", "/api/nodes", "/api/services", "/api/diagnostics")) {
            var r = server.get(view);
            assertTrue(r.statusCode() == 200, view + ": " + r.body());
            // The time of the answer and the threads that serve it change by themselves.
            s.put(view, r.body().replaceAll("\"(time|serverThreads)\":[^,]*,", ""));
        }
        server.jdbi.useHandle(h -> {
            for (String table : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(
                    String.class).list()) {
                s.put(table, h.createQuery("SELECT count(*) FROM \"" + table + "\"").mapTo(String.class).one());
            }
        });
        return s;
    }
}
