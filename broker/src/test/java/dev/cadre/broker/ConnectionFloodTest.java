package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 110, finding 2: sockets nobody logs in on, opened faster than anything closes them, took every file the head
 * could open. Each client listener now holds a bounded share of {@link ConnectionBounds#clients()} (here 20: CORE 10,
 * AMQP 5, STOMP 5), the node listener its own, and a socket not logged in by the deadline is closed.
 */
class ConnectionFloodTest {
    private static final String HALF_A_CONNECT = "CONNECT\naccept-version:1.2\n";
    /**
     * CORE's handshake and one byte of a frame, and AMQP's SASL header: each names its protocol, which Artemis reads
     * from a socket's first 8 bytes. A socket that sends fewer is closed by Artemis' own 10 s handshake timeout, which
     * a slow run of the flood test passed before it counted the CORE sockets (none held). The gate counts both kinds
     * from their accept alike.
     */
    private static final String CORE_HANDSHAKE = "ARTEMIS\0";
    private static final String AMQP_SASL_HEADER = "AMQP\3\1\0\0";
    private static final String KEY_PASSWORD = "flood-test-key";
    @TempDir
    Path dir;
    private BrokerUsers users;
    private EmbeddedBroker broker;
    private final List<AutoCloseable> opened = new ArrayList<>();

    private void start(Duration loginDeadline) throws Exception {
        users = BrokerUsers.generate();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users))
                .withNodeListener(new NodeListener(0, keyStore(), KEY_PASSWORD))
                .withConnectionBounds(new ConnectionBounds(65_536, 20, 4, 8, loginDeadline)).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // closed by the broker already
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aFloodIsRefusedPastEachShareWhileNodesJoinAndASubmissionGoesThroughOnceASlotIsFree() throws Exception {
        start(Duration.ofMinutes(5));
        List<Socket> stomp = flood(broker.stompPort(), 15, HALF_A_CONNECT);
        List<Socket> core = flood(broker.corePort(), 15, CORE_HANDSHAKE);
        List<Socket> amqp = flood(broker.amqpPort(), 15, AMQP_SASL_HEADER);

        assertEquals(5, awaitOpen(stomp, 5), "STOMP sockets held");
        assertEquals(10, awaitOpen(core, 10), "CORE sockets held");
        assertEquals(5, awaitOpen(amqp, 5), "AMQP sockets held");
        assertThrows(IOException.class, () -> new StompFrames(broker.stompPort(), users.submitter()),
                "a client past the STOMP share is refused");

        // The node listener has its own allowance: a node logs in while every client share is taken.
        ActiveMQConnectionFactory nodes = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + broker.nodePort()
                + "?sslEnabled=true&trustAll=true&verifyHost=false&initialConnectAttempts=1&callTimeout=10000");
        opened.add(nodes);
        Connection node = nodes.createConnection(users.node().user(), users.node().password());
        opened.add(node);
        node.createSession(false, Session.AUTO_ACKNOWLEDGE).close();

        // One flood socket the broker holds goes: its slot takes a submission. (A refused one stays open on this side,
        // and which of the flood the broker kept is its order of accepting them, not ours of connecting.)
        stomp.stream().filter(s -> !closedByBroker(s)).findFirst().orElseThrow().close();
        StompFrames submitter = connectWithin(Duration.ofSeconds(10));
        opened.add(submitter);
        assertTrue(submitter.sendPersistent(Destinations.SUBMIT, "", "{\"flood\":1}".getBytes(StandardCharsets.UTF_8))
                .startsWith("RECEIPT"));
        Connection admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "flood-test");
        opened.add(admin);
        Session session = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
        var received = consumer.receive(10_000);
        assertNotNull(received, "the submission reached cadre.submit");
        String body = received instanceof TextMessage t ? t.getText() : new String(received.getBody(byte[].class),
                StandardCharsets.UTF_8);
        assertEquals("{\"flood\":1}", body);
    }

    @Test
    void connectionsThatDoNotLogInAreClosedAtTheDeadlineAndLoggedInOnesStay() throws Exception {
        start(Duration.ofSeconds(1));
        StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter());
        opened.add(stomp);
        ActiveMQConnectionFactory coreFactory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + broker.corePort()
                + "?initialConnectAttempts=1&callTimeout=10000");
        opened.add(coreFactory);
        Connection core = coreFactory.createConnection(users.submitter().user(), users.submitter().password());
        opened.add(core);
        Connection amqp = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort())
                .createConnection(users.submitter().user(), users.submitter().password());
        opened.add(amqp);
        amqp.start();

        List<Socket> idle = new ArrayList<>(flood(broker.stompPort(), 2, HALF_A_CONNECT));
        idle.addAll(flood(broker.corePort(), 2, ""));
        idle.addAll(flood(broker.amqpPort(), 2, "AMQP"));
        idle.addAll(flood(broker.nodePort(), 2, ""));
        assertEquals(0, awaitOpen(idle, 0), "sockets that did not log in");

        // Opened before those, so past the deadline too: each still works.
        assertTrue(stomp.sendPersistent(Destinations.SUBMIT, "", "{}".getBytes(StandardCharsets.UTF_8))
                .startsWith("RECEIPT"));
        Session coreSession = core.createSession(false, Session.AUTO_ACKNOWLEDGE);
        coreSession.createProducer(coreSession.createQueue(Destinations.SUBMIT)).send(coreSession.createTextMessage("{}"));
        Session amqpSession = amqp.createSession(false, Session.AUTO_ACKNOWLEDGE);
        amqpSession.createProducer(amqpSession.createQueue(Destinations.SUBMIT)).send(amqpSession.createTextMessage("{}"));
    }

    private List<Socket> flood(int port, int n, String send) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", port);
            opened.add(s);
            sockets.add(s);
            if (!send.isEmpty()) {
                try {
                    s.getOutputStream().write(send.getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // already refused: what awaitOpen counts
                }
            }
        }
        return sockets;
    }

    /**
     * Waits until no more than {@code expected} of the sockets are open (the broker closed the others), then checks
     * that those stay open for a moment longer; returns how many are open.
     */
    private static int awaitOpen(List<Socket> sockets, int expected) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<Socket> open = new ArrayList<>(sockets);
        while (open.size() > expected && System.nanoTime() < deadline) {
            open.removeIf(ConnectionFloodTest::closedByBroker);
        }
        long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < settle) {
            open.removeIf(ConnectionFloodTest::closedByBroker);
        }
        return open.size();
    }

    private static boolean closedByBroker(Socket s) {
        try {
            s.setSoTimeout(20);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private StompFrames connectWithin(Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return new StompFrames(broker.stompPort(), users.submitter());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("no STOMP slot came free within " + wait + ": " + e);
                }
            }
        }
    }

    private Path keyStore() throws Exception {
        Path file = dir.resolve("node-tls.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "head", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=cadre-head", "-storetype", "PKCS12", "-keystore",
                file.toString(), "-storepass", KEY_PASSWORD, "-keypass", KEY_PASSWORD, "-noprompt")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + output);
        return file;
    }
}
