package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's queues outlive the node's absence and the head's restart: a client's run request sent to the exec queue
 * of a node that has not reconnected yet waits there for it, instead of having the broker make the address again,
 * which a client may not (AMQ229032 in the head's log, the send refused).
 */
class ExecQueueRestartTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    Path dir;
    private BrokerUsers users;
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        users = BrokerUsers.generate();
        broker = startBroker();
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    private EmbeddedBroker startBroker() throws Exception {
        return new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users,
                BrokerLimits.defaults())).start();
    }

    @Test
    void aClientsRequestToANodeNotYetBackAfterTheHeadsRestartWaitsForTheNode() throws Exception {
        String exec = Destinations.execQueue("n1");
        try (Connection node = open(users.node())) {
            Session s = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : NodeQueues.of("n1")) {
                s.createConsumer(s.createQueue(queue));
            }
        }
        broker.close();
        broker = startBroker();
        try (Connection client = open(users.submitter())) {
            send(client, exec, "run");
        }
        for (String queue : NodeQueues.of("n1")) {
            assertEquals(queue.equals(exec) ? 1 : 0, broker.messagesOn(queue), queue + " is still there");
        }
        try (Connection node = open(users.node())) {
            Session s = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage got = (TextMessage) s.createConsumer(s.createQueue(exec)).receive(WAIT_MS);
            assertNotNull(got, "the node, back, gets the request sent while it was away");
            assertEquals("run", got.getText());
        }
    }

    @Test
    void noClientMakesTheExecQueueOfANodeThatNeverConnected() throws Exception {
        try (Connection client = open(users.submitter()); Connection agent = open(users.exec())) {
            assertThrows(JMSSecurityException.class, () -> send(client, Destinations.execQueue("never-seen"), "run"));
            assertThrows(JMSSecurityException.class, () -> send(agent, Destinations.execQueue("never-seen"), "run"));
        }
        assertEquals(-1, broker.messagesOn(Destinations.execQueue("never-seen")));
    }

    static Connection open(Credentials who) throws JMSException {
        return BrokerConnections.open(EmbeddedBroker.IN_VM_URL, who, "exec-restart-test");
    }

    static void send(Connection c, String queue, String text) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            // A persistent send waits for the broker's answer, so a refusal comes back here.
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(text));
        }
    }
}
