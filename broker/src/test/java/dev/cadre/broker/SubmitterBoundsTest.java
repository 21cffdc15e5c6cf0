package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the one submitter account may make the broker keep (review 96, findings 2 and 3): no durable subscription on
 * a reply address, bounded sessions, queues and durable event subscriptions, refused with errors that name the bound,
 * and no reading of other clients' replies through a wildcard.
 */
class SubmitterBoundsTest {
    private static final BrokerLimits.SubmitterBounds SMALL = new BrokerLimits.SubmitterBounds(6, 5, 2);
    @TempDir
    Path dir;
    private BrokerUsers users;
    private EmbeddedBroker broker;
    private Connection admin;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        users = BrokerUsers.generate();
        BrokerLimits d = BrokerLimits.defaults();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users,
                new BrokerLimits(d.globalMaxBytes(), d.clientDiskPercent(), d.eventRetention(), SMALL))).start();
        admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "bounds-test");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        admin.close();
        broker.close();
    }

    @Test
    void aDurableSubscriptionOnAReplyAddressIsRefusedOverStompAndJms() throws Exception {
        try (NamedStomp stomp = stomp("durable-reply")) {
            stomp.send("SUBSCRIBE\ndestination:/topic/" + Destinations.REPLY_PREFIX + "junk-0\nid:1\n"
                    + "durable-subscription-name:d0\nreceipt:1\n\n");
            String refusal = stomp.read();
            assertTrue(refusal.startsWith("ERROR") && refusal.contains("no durable subscriptions on cadre.reply."), refusal);
        }
        Connection jms = jms("durable-reply-jms");
        Session s = jms.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic reply = s.createTopic(Destinations.REPLY_PREFIX + "junk-1");
        assertThrows(JMSSecurityException.class, () -> s.createDurableConsumer(reply, "d1"));
        // The documented, non-durable reply subscription still works.
        s.createConsumer(reply).close();
    }

    @Test
    void theAccountsQueuesTemporaryOnesIncludedStopAtTheBoundWithAnErrorNamingIt() throws Exception {
        Session s = jms("queues").createSession(false, Session.AUTO_ACKNOWLEDGE);
        for (int i = 0; i < SMALL.queues(); i++) {
            s.createTemporaryQueue();
        }
        var refused = assertThrows(JMSSecurityException.class, s::createTemporaryQueue);
        assertTrue(refused.getMessage().contains("AMQ229111") && refused.getMessage().contains("Queues allowed: "
                + SMALL.queues()), refused.getMessage());
        try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
            stomp.send("SUBSCRIBE\ndestination:/topic/" + Destinations.REPLY_PREFIX + "one-too-many\nid:1\n"
                    + "receipt:1\n\n");
            String error = stomp.read();
            assertTrue(error.startsWith("ERROR") && error.contains("AMQ229111")
                    && error.contains("Queues allowed: " + SMALL.queues()), error);
        }
    }

    @Test
    void theAccountsSessionsStopAtTheBoundWithAnErrorNamingIt() throws Exception {
        for (int i = 0; i < SMALL.sessions(); i++) {
            stomp("session-" + i);
        }
        IOException refused = assertThrows(IOException.class, () -> stomp("one-too-many"));
        assertTrue(refused.getMessage().contains("AMQ229110")
                && refused.getMessage().contains("Sessions allowed: " + SMALL.sessions()), refused.getMessage());
    }

    @Test
    void durableEventSubscriptionsStopAtTheirBoundButComingBackToOneAlwaysWorks() throws Exception {
        Session s = jms("durable-events").createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic events = s.createTopic(Destinations.EVENTS);
        for (int i = 0; i < SMALL.durableEventSubscriptions(); i++) {
            s.createDurableConsumer(events, "sub-" + i).close();
        }
        var refused = assertThrows(JMSSecurityException.class, () -> s.createDurableConsumer(events, "one-more"));
        assertTrue(refused.getMessage().contains("the most it may hold (" + SMALL.durableEventSubscriptions() + ")"),
                refused.getMessage());
        s.createDurableConsumer(events, "sub-0").close();
        try (NamedStomp stomp = stomp("durable-events-stomp")) {
            stomp.send("SUBSCRIBE\ndestination:/topic/" + Destinations.EVENTS + "\nid:1\n"
                    + "durable-subscription-name:one-more\nreceipt:1\n\n");
            String error = stomp.read();
            assertTrue(error.startsWith("ERROR") && error.contains("durable subscriptions on cadre.events"), error);
        }
        s.unsubscribe("sub-1");
        s.createDurableConsumer(events, "one-more").close();
    }

    @Test
    void aWildcardSubscriptionUnderTheReplyPrefixGetsNoOtherClientsReplies() throws Exception {
        Session victim = jms("victim").createSession(false, Session.AUTO_ACKNOWLEDGE);
        var own = victim.createConsumer(victim.createTopic(Destinations.REPLY_PREFIX + "victim"));
        Session spy = jms("spy").createSession(false, Session.AUTO_ACKNOWLEDGE);
        String wildcard = Destinations.REPLY_PREFIX + "#";
        var spying = spy.createConsumer(spy.createTopic(wildcard));
        try (Session head = admin.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = head.createProducer(null);
            p.send(head.createTopic(Destinations.REPLY_PREFIX + "victim"), head.createTextMessage("secret"));
            // Sent after the victim's reply: with wildcard routing the spy's queue would hold the reply before it
            // (and Artemis would refuse to send to a wildcard name at all).
            try {
                p.send(head.createTopic(wildcard), head.createTextMessage("marker"));
            } catch (JMSException e) {
                fail("the broker routes wildcards, so " + wildcard + " matches every client's reply address: " + e);
            }
        }
        assertEquals("secret", ((TextMessage) own.receive(10_000)).getText());
        assertEquals("marker", ((TextMessage) spying.receive(10_000)).getText());
    }

    private Connection jms(String clientId) throws JMSException {
        Connection c = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                "bounds-test", clientId);
        c.start();
        opened.add(c);
        return c;
    }

    /** A STOMP connection that names itself (client-id), as durable subscribers must. */
    private NamedStomp stomp(String clientId) throws IOException {
        NamedStomp s = new NamedStomp(broker.stompPort(), users.submitter(), clientId);
        opened.add(s);
        return s;
    }

    /** STOMP 1.2 on a plain socket, connected with a client-id ({@link StompFrames} connects without one). */
    private static final class NamedStomp implements AutoCloseable {
        private final Socket socket;

        NamedStomp(int port, Credentials who, String clientId) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            send("CONNECT\naccept-version:1.2\nhost:cadre\nlogin:" + who.user() + "\npasscode:" + who.password()
                    + "\nclient-id:" + clientId + "\n\n");
            String connected = read();
            if (!connected.startsWith("CONNECTED")) {
                socket.close();
                throw new IOException("STOMP connect refused: " + connected);
            }
        }

        void send(String frame) throws IOException {
            socket.getOutputStream().write((frame + "\0").getBytes(StandardCharsets.UTF_8));
        }

        /** The next frame, body included; what came before the end when the broker closes the connection. */
        String read() throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            for (int b = socket.getInputStream().read(); b > 0; b = socket.getInputStream().read()) {
                frame.write(b);
            }
            return frame.toString(StandardCharsets.UTF_8).stripLeading();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
