package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queues of deleted and unknown nodes go; those of known nodes, and those someone consumes, stay. */
class NodeQueuesTest {
    @TempDir
    Path dir;

    @Test
    void aDeletedNodesQueuesGoUnlessANodeRunnerConsumesThem() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users))
                .start();
                Connection node = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.node(), "node-queues");
                NodeQueues queues = broker.nodeQueues()) {
            Session s = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String id : List.of("gone-1", "known-2", "busy-3")) {
                for (String q : NodeQueues.of(id)) {
                    s.createConsumer(s.createQueue(q)).close();
                }
            }
            MessageConsumer busy = s.createConsumer(s.createQueue(Destinations.nodeQueue("busy-3")));
            for (String id : List.of("gone-1", "known-2", "busy-3")) {
                NodeQueues.of(id).forEach(q -> assertTrue(broker.messagesOn(q) >= 0, q + " was made"));
            }

            queues.deletions().published(new JobEvent.NodeDeleted("gone-1", "gone", Instant.now()), "{}");
            waitUntil(() -> NodeQueues.of("gone-1").stream().allMatch(q -> broker.messagesOn(q) == -1),
                    "the deleted node's queues to go");
            NodeQueues.of("known-2").forEach(q -> assertTrue(broker.messagesOn(q) >= 0, q + " stays"));

            assertEquals(2, queues.removeAllBut(List.of("known-2")),
                    "at start, the unknown node's queues go but the one its node-runner consumes");
            assertEquals(0, broker.messagesOn(Destinations.nodeQueue("busy-3")), "the consumed queue stays");
            NodeQueues.of("known-2").forEach(q -> assertTrue(broker.messagesOn(q) >= 0, q + " of a known node stays"));
            busy.close();
            assertEquals(1, queues.remove("busy-3"), "once no one consumes it, it goes too");
            assertEquals(0, queues.remove("never-seen"), "a node without queues is nothing to do");
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
