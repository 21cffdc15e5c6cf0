package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every message the head takes, as docs/protocol.md describes it, against hostile input ({@link HostileMessages}),
 * sent over a real embedded broker to a running scheduler on a real SQLite file: a client's request from the
 * submitter's account is refused (job-rejected, or its answer with ok false) naming the field or the id of nothing,
 * without a Java class or stack trace; a node's event from the node account is dropped; and either way every table
 * is as it was, the head has not stopped, and it answers a valid request after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageBadInputIntegrationTest {
    private static final String NODE = "node1-3f2a9c01";
    /** Tables that a refused request writes to by design, and why. */
    private static final Map<String, String> WRITTEN_BY_REFUSALS = Map.of(
            "answered_requests", "a refused request sent with a requestId keeps its answer for a repeat (7.7)",
            "answered_requests_bytes", "the size of those kept answers",
            "event_outbox", "the mark of the events published moves on as the dispatcher sends earlier changes'");
    private static final Pattern JAVA = Pattern.compile("(?:java|jakarta|javax|com\\.fasterxml|org\\.jdbi"
            + "|org\\.sqlite|dev\\.cadre)\\.[a-z]|Exception\\b|\\bat [a-z]+\\.[a-z]|`");
    private SchedulerOnBroker head;
    private SchedulerService scheduler;
    private Jdbi jdbi;
    private SubmitterClient client;
    private Connection nodeConnection;
    private Session nodeSession;
    private MessageProducer runnerEvents;
    private final List<Throwable> fatal = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        // A node timeout no test outlasts: the node registered below stays UP without more heartbeats.
        head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), Duration.ofHours(1), fatal::add);
        scheduler = head.scheduler();
        jdbi = Database.open(dir.resolve("cadre.db"));
        // The jobs the examples name (40 to 44, arrays for their task ids), held so that nothing starts.
        List<JobStore.NewJob> held = new ArrayList<>();
        for (int i = 1; i <= 44; i++) {
            held.add(new JobStore.NewJob("k" + i, JobSpec.builder().name("j" + i).user("alice").script(
                    "#!/bin/sh\ntrue\n").workDir("/tmp").timeLimitSeconds(600L).array("0-9").hold("user").build(),
                    Instant.now(), "None"));
        }
        scheduler.admit(held);
        scheduler.start();
        client = SubmitterClient.open(head);
        nodeConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().node(), "node");
        nodeSession = nodeConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        runnerEvents = nodeSession.createProducer(nodeSession.createQueue(Destinations.RUNNER_EVENTS));
        // The nodes the examples name, drained so that no job a case may submit starts.
        heartbeat(NODE, "node1");
        heartbeat("node2-77c41b0e", "node2");
        handled("node-heartbeat", 2);
        for (String host : List.of("node1", "node2")) {
            assertInstanceOf(ClientReply.NodeResult.class, scheduler.control(new ControlRequest.DrainNode(host,
                    "maintenance", "root")));
        }
    }

    private void heartbeat(String id, String host) throws Exception {
        runnerEvents.send(nodeSession.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat(id, host,
                List.of("192.168.1.21"), 8, 31822, 0, List.of(), Instant.now()))));
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (nodeConnection != null) {
            nodeConnection.close();
        }
        if (head != null) {
            head.close();
        }
    }

    @Test
    void everyExampleHasItsPlaceHereSoThatNoMessageTypeGoesUnchecked() throws Exception {
        TreeSet<String> listed = new TreeSet<>(HostileMessages.CLIENT.keySet());
        listed.addAll(HostileMessages.NODE.keySet());
        listed.addAll(HostileMessages.NOT_FOR_THE_HEAD.keySet());
        TreeSet<String> examples = new TreeSet<>();
        try (Stream<Path> files = Files.list(HostileMessages.EXAMPLES)) {
            files.forEach(f -> examples.add(f.getFileName().toString().replaceFirst("\\.json$", "")));
        }
        assertEquals(examples, listed, "a new message type goes into HostileMessages.CLIENT or NODE with its"
                + " REQUIRED fields, or into NOT_FOR_THE_HEAD with the reason");
    }

    @TestFactory
    Stream<DynamicTest> hostileClientRequestsAreRefusedNamingTheProblemAndChangeNothing() {
        return new TreeSet<>(HostileMessages.CLIENT.keySet()).stream().map(type -> DynamicTest.dynamicTest(type,
                () -> checkRequests(type)));
    }

    @TestFactory
    Stream<DynamicTest> hostileNodeEventsAreDroppedChangingNothing() {
        return new TreeSet<>(HostileMessages.NODE.keySet()).stream().map(type -> DynamicTest.dynamicTest(type,
                () -> checkEvents(type)));
    }

    private void checkRequests(String type) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> before = snapshot();
        for (HostileMessages.Case c : HostileMessages.of(type, HostileMessages.CLIENT.get(type))) {
            ClientReply reply = client.askText(c.body());
            String problem = problem(c, reply);
            if (problem != null) {
                failures.add(c + ": " + problem);
            }
            if (HostileMessages.taken(c) != null) {
                // What the head took moves on in its next passes (a new job's reason) before it stands still.
                long cycles = scheduler.statistics().report(0).schedule().cycles();
                awaitCondition("two passes", () -> scheduler.statistics().report(0).schedule().cycles() >= cycles + 2);
                before = snapshot();
                continue;
            }
            Map<String, String> after = snapshot();
            if (!after.equals(before)) {
                failures.add(c + ": changed " + difference(before, after));
                before = after;
            }
        }
        assertEquals("", String.join("\n", failures), type);
        stillAnswers();
    }

    private void checkEvents(String type) throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, String> before = snapshot();
        List<HostileMessages.Case> cases = new ArrayList<>(HostileMessages.of(type, HostileMessages.NODE.get(type)));
        cases.add(0, new HostileMessages.Case(type, "the example itself, of an attempt never placed",
                HostileMessages.example(type).toString(), false, ""));
        for (HostileMessages.Case c : cases) {
            long marks = count("runner-released");
            runnerEvents.send(nodeSession.createTextMessage(c.body()));
            // A runner-released of no job: taken after the case, as the intake keeps the queue's order.
            runnerEvents.send(nodeSession.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerReleased(
                    999_999, 1, NODE, Instant.now()))));
            handled("runner-released", marks + 1);
            Map<String, String> after = snapshot();
            if (!after.equals(before) && HostileMessages.taken(c) == null) {
                failures.add(c + ": changed " + difference(before, after));
            }
            before = after;
        }
        // A heartbeat that no longer lists them ends the holds of attempts a case said the node runs.
        long beats = count("node-heartbeat");
        heartbeat(NODE, "node1");
        handled("node-heartbeat", beats + 1);
        assertEquals("", String.join("\n", failures), type);
        stillAnswers();
    }

    /** What is wrong with a request's answer, or null. */
    private static String problem(HostileMessages.Case c, ClientReply reply) {
        if (HostileMessages.taken(c) != null) {
            return null;
        }
        String said = HostileMessages.refusal(reply);
        if (said == null) {
            return "taken: " + MessageCodec.encode(reply);
        }
        if (c.strict() && !(reply instanceof ClientReply.JobRejected)) {
            return "not refused as unreadable (job-rejected): " + MessageCodec.encode(reply);
        }
        if (HostileMessages.HIDDEN.keySet().stream().noneMatch(k -> Pattern.compile(k).matcher(c.toString()).lookingAt())
                && !Pattern.compile("(?<![A-Za-z])(?:" + c.names() + ")(?![A-Za-z0-9])", Pattern.CASE_INSENSITIVE).matcher(said)
                .find()) {
            return "does not name '" + c.names() + "': " + said;
        }
        if (JAVA.matcher(said).find()) {
            return "names Java's insides: " + said;
        }
        return null;
    }

    /** The head has not stopped, and answers a request that changes nothing. */
    private void stillAnswers() throws Exception {
        var forecast = assertInstanceOf(ClientReply.StartForecast.class, client.ask(new ClientRequest.ForecastStarts()));
        assertNull(forecast.reason(), forecast.toString());
        assertEquals(List.of(), fatal);
    }

    private long count(String type) {
        DiagnosticsReport report = scheduler.statistics().report(0);
        return report.messages().stream().filter(m -> m.type().equals(type)).mapToLong(
                DiagnosticsReport.MessageTally::count).sum();
    }

    private void handled(String type, long count) {
        awaitCondition(count + " " + type, () -> count(type) >= count);
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 20 s");
            }
            // 10 ms: often enough that the hundreds of cases wait little, rarely enough to leave the head the cores.
            LockSupport.parkNanos(10_000_000);
        }
    }

    /** Every table's rows, but a node's last heartbeat and the kept answers of refused requests. */
    private Map<String, String> snapshot() {
        Map<String, String> s = new TreeMap<>();
        jdbi.useHandle(h -> {
            for (String table : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(
                    String.class).list()) {
                if (!WRITTEN_BY_REFUSALS.containsKey(table)) {
                    s.put(table, h.createQuery("SELECT * FROM \"" + table + "\"").mapToMap().list().stream()
                            .map(row -> {
                                var copy = new TreeMap<>(row);
                                copy.remove("last_seen");
                                return copy.toString();
                            }).toList().toString());
                }
            }
        });
        return s;
    }

    private static String difference(Map<String, String> before, Map<String, String> after) {
        return before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k)))
                .map(k -> k + ": " + cut(before.get(k)) + " -> " + cut(after.get(k))).toList().toString();
    }

    private static String cut(String s) {
        return s.length() > 600 ? s.substring(s.length() - 600) : s;
    }
}
