package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message far past the protocol's size limit is refused by the broker, whatever the protocol, before the
 * scheduler could read it whole; a submitter learns why. Legal messages in the widest encoding still get in.
 */
class SendLimitsTest {
    private static final long WAIT_MS = 10_000;
    private static final int OVERSIZED = BrokerLimits.MAX_REQUEST_BYTES + (1 << 20);
    private static final String LIMIT = String.valueOf(BrokerLimits.MAX_REQUEST_BYTES);
    @TempDir
    Path dir;

    @Test
    void anOversizedSubmissionIsRefusedOverCoreAmqpAndStompNamingTheLimit() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users)).start()) {
            // Core sends it as a large message, in chunks.
            try (Connection core = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                    "limit-test")) {
                var e = assertThrows(JMSException.class, () -> sendBytes(core, Destinations.SUBMIT, OVERSIZED));
                assertTrue(e.getMessage().contains(LIMIT), e.getMessage());
                // Naming the queue as well changes nothing.
                assertThrows(JMSException.class, () -> sendBytes(core, Destinations.SUBMIT + "::"
                        + Destinations.SUBMIT, OVERSIZED));
            }
            assertNoLargeMessageFiles("core");
            var amqpFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
            try (Connection amqp = amqpFactory.createConnection(users.submitter().user(),
                    users.submitter().password())) {
                var e = assertThrows(JMSException.class, () -> sendBytes(amqp, Destinations.SUBMIT, OVERSIZED));
                assertTrue(e.getMessage().contains(LIMIT), e.getMessage());
            }
            assertNoLargeMessageFiles("AMQP");
            try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
                // Within the STOMP frame limit (a larger frame never gets this far: StompFrameSizeTest).
                String answer = stomp.sendPersistent(Destinations.SUBMIT, "",
                        new byte[BrokerLimits.MAX_REQUEST_BYTES + 1024]);
                // Artemis' ERROR frame says that the message was refused, not why.
                assertTrue(answer.startsWith("ERROR") && answer.contains("AMQ339011"), answer);
            }
            try (Connection admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "limit-test")) {
                Session s = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertNull(s.createConsumer(s.createQueue(Destinations.SUBMIT)).receive(500), "nothing was stored");
            }
            assertNoLargeMessageFiles("STOMP");
        }
    }

    @Test
    void aLegalBodyInTheWidestEncodingGetsInOverEveryProtocol() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        // 1 MiB characters, each 3 bytes in UTF-8: the largest body the protocol allows, in bytes.
        String widest = "\u20ac".repeat(MessageCodec.MAX_BYTES);
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users)).start();
                Connection admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "limit-test")) {
            Session read = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer submissions = read.createConsumer(read.createQueue(Destinations.SUBMIT));
            try (Connection core = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                    "limit-test")) {
                sendText(core, widest);
            }
            var amqpFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
            try (Connection amqp = amqpFactory.createConnection(users.submitter().user(),
                    users.submitter().password())) {
                sendText(amqp, widest);
            }
            try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
                String answer = stomp.sendPersistent(Destinations.SUBMIT, "",
                        widest.getBytes(StandardCharsets.UTF_8));
                assertTrue(answer.startsWith("RECEIPT"), answer);
            }
            for (int i = 0; i < 3; i++) {
                assertNotNull(submissions.receive(WAIT_MS), "submission " + i + " arrives");
            }
        }
    }

    @Test
    void aNearlyFullDiskStopsSubmittersBeforeNodes() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        // Any disk is fuller than 1%: as if it were past the client limit.
        var limits = new BrokerLimits(BrokerLimits.defaults().globalMaxBytes(), 1,
                BrokerLimits.DEFAULT_EVENT_RETENTION);
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users, limits)).start();
                Connection submitter = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(),
                        users.submitter(), "limit-test");
                Connection node = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.node(),
                        "limit-test")) {
            var e = assertThrows(JMSException.class, () -> sendBytes(submitter, Destinations.SUBMIT, 10));
            assertTrue(e.getMessage().contains("refused above 1%"), e.getMessage());
            sendBytes(node, Destinations.RUNNER_EVENTS, 10);
        }
    }

    /** A refused large message's file is deleted off the sending thread: waits for it. */
    private void assertNoLargeMessageFiles(String protocol) throws Exception {
        long deadline = System.nanoTime() + WAIT_MS * 1_000_000;
        while (largeMessageFiles() > 0 && System.nanoTime() < deadline) {
            // A short park, not a spin: the deleting thread needs one of the two cores.
            LockSupport.parkNanos(5_000_000);
        }
        assertEquals(0, largeMessageFiles(), "the files of large messages refused over " + protocol + " are gone");
    }

    private long largeMessageFiles() throws Exception {
        try (Stream<Path> left = Files.list(dir.resolve("broker/large-messages"))) {
            return left.count();
        }
    }

    private static void sendBytes(Connection c, String queue, int size) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[size]);
            p.send(m);
        }
    }

    private static void sendText(Connection c, String text) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(Destinations.SUBMIT));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage m = s.createTextMessage(text);
            p.send(m);
        }
    }
}
