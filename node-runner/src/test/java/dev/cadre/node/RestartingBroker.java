package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The head's broker going down and coming back: a real embedded broker that a test stops and starts again on the
 * same ports from its journal, with node connections made over TCP as nodes make them (reconnecting for ever).
 */
final class RestartingBroker implements AutoCloseable {
    /** A node's connection, and whether it has lost its broker and got it back since the test last cleared them. */
    record NodeLink(Connection connection, AtomicBoolean lost, AtomicBoolean regained) {
    }

    private final BrokerUsers users = BrokerUsers.generate();
    private final String url;
    private final EmbeddedBroker.Settings samePorts;
    private final List<Connection> connections = new ArrayList<>();
    /** What uses the connections (senders, supervisors): closed first, the last one first. */
    private final List<AutoCloseable> closeFirst = new ArrayList<>();
    private EmbeddedBroker broker;

    RestartingBroker(Path dir) throws Exception {
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        samePorts = new EmbeddedBroker.Settings(dir, "127.0.0.1", broker.corePort(), broker.amqpPort(),
                broker.stompPort(), users);
        url = "tcp://127.0.0.1:" + broker.corePort();
    }

    /** The broker's address as nodes are given it. */
    String url() {
        return url;
    }

    BrokerUsers users() {
        return users;
    }

    NodeLink node(String name) throws JMSException {
        Connection c = BrokerConnections.open(url, users.node(), name);
        connections.add(c);
        NodeLink link = new NodeLink(c, new AtomicBoolean(), new AtomicBoolean());
        BrokerConnections.watchLink(c, new BrokerConnections.LinkListener() {
            @Override
            public void lost() {
                link.lost().set(true);
            }

            @Override
            public void regained() {
                link.regained().set(true);
            }
        });
        return link;
    }

    /** The head's side, in-VM as the admin: reads what the nodes send. Only while the broker runs. */
    Connection head() throws JMSException {
        Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "head");
        connections.add(c);
        return c;
    }

    /** Has {@link #close} close it, before the connections it uses. */
    <T extends AutoCloseable> T closing(T user) {
        closeFirst.add(user);
        return user;
    }

    void stop() throws Exception {
        broker.close();
    }

    void startAgain() throws Exception {
        broker = new EmbeddedBroker(samePorts).start();
    }

    /** Stops the broker and starts it again, each once the node's connection has seen it. */
    void restartSeenBy(NodeLink node, Duration wait) throws Exception {
        node.lost().set(false);
        node.regained().set(false);
        stop();
        JobSupervisorIntegrationTest.await("the node to notice the broker is gone", wait, node.lost()::get);
        startAgain();
        JobSupervisorIntegrationTest.await("the node to reconnect", wait, node.regained()::get);
    }

    /** Closes what uses the connections, then the connections without waiting for a broker away, then it. */
    @Override
    public void close() throws Exception {
        for (int i = closeFirst.size() - 1; i >= 0; i--) {
            closeFirst.get(i).close();
        }
        BrokerConnections.abandon(url);
        for (Connection c : connections) {
            c.close();
        }
        broker.close();
    }
}
