package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Node-runners of a test, sent commands as the head sends them, that reach each other through the real agent (bin/cadre-rsh) over an in-VM broker: each
 * its own state directory under the test's, two CPUs and 1 GiB, on 127.0.0.1.
 */
final class AgentNodes {
    static final Path AGENT = Path.of("").toAbsolutePath().resolveSibling("bin").resolve("cadre-rsh");

    private AgentNodes() {
    }

    /** Starts the node; it and its connection go first into {@code closing}, to be closed before what came earlier. */
    static NodeRunner start(InVmBroker broker, Path dir, String hostname, ProcessTracking.Mode tracking,
            List<AutoCloseable> closing) throws Exception {
        Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().node(), hostname);
        closing.add(0, c);
        RemoteExec remote = new RemoteExec(AGENT, new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        NodeRunner n = new NodeRunner(c, new NodeRunner.Settings(dir.resolve(hostname), hostname,
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", remote, new RuntimeDirectory(dir.resolve(hostname), "test"), tracking,
                Duration.ofMillis(200)), Clock.systemUTC()).start();
        closing.add(0, n);
        return n;
    }

    /** Sends the command to the node's queue, as the head does. */
    static void send(InVmBroker broker, NodeRunner to, NodeCommand command) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(to.nodeId())))
                    .send(s.createTextMessage(MessageCodec.encode(command)));
        }
    }
}
