package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's queues made by a broker from before auto-delete was off for them (auto-created, auto-delete on, as the
 * journal keeps them) outlive the restarts after the upgrade, their messages with them. Artemis removes an empty
 * auto-delete queue with no consumer during its start (the first scan of its queues, right after the listeners
 * open), so each restart is the point where they would have gone.
 */
class AutoDeleteUpgradeTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    Path dir;
    private final BrokerUsers users = BrokerUsers.generate();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedBroker restart() throws Exception {
        if (broker != null) {
            broker.close();
        }
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users,
                BrokerLimits.defaults())).start();
        return broker;
    }

    @Test
    void aNodesQueuesFromBeforeTheUpgradeStayThroughItsRestartsWithTheirMessages() throws Exception {
        String exec = Destinations.execQueue("n1");
        restart();
        // As the node's consumers had the older broker make them, with auto-delete on from its settings.
        for (String queue : NodeQueues.of("n1")) {
            broker.artemis().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                    .setAutoCreated(true).setAutoCreateAddress(true).setAutoDelete(true));
            assertTrue(broker.artemis().locateQueue(queue).isAutoDelete(), queue + " is made as before the upgrade");
        }
        try (Connection client = ExecQueueRestartTest.open(users.submitter())) {
            ExecQueueRestartTest.send(client, exec, "run");
        }

        restart();
        for (String queue : NodeQueues.of("n1")) {
            assertEquals(queue.equals(exec) ? 1 : 0, broker.messagesOn(queue), queue + " is still there");
            assertFalse(broker.artemis().locateQueue(queue).isAutoDelete(), queue + " no longer auto-deletes");
        }
        try (Connection node = ExecQueueRestartTest.open(users.node())) {
            Session s = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage got = (TextMessage) s.createConsumer(s.createQueue(exec)).receive(WAIT_MS);
            assertNotNull(got, "the node gets the request kept through the restart");
            assertEquals("run", got.getText());
        }

        // Empty now and unread: an exec queue still auto-deleting would go during this start.
        restart();
        for (String queue : NodeQueues.of("n1")) {
            assertEquals(0, broker.messagesOn(queue), queue + " is still there once drained");
        }
        try (Connection client = ExecQueueRestartTest.open(users.submitter())) {
            ExecQueueRestartTest.send(client, exec, "run again");
        }
        assertEquals(1, broker.messagesOn(exec), "a client's request waits for the node");
    }
}
