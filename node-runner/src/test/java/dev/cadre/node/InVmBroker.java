package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import jakarta.jms.Connection;
import java.nio.file.Path;

/**
 * A real embedded broker for a test, with an in-VM connection as the node's account and one as the admin (the
 * head's side: sends node commands, reads what the node sends), and its accounts, for more connections.
 */
record InVmBroker(EmbeddedBroker broker, BrokerUsers users, Connection node, Connection head)
        implements AutoCloseable {
    static InVmBroker start(Path dir) throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0,
                users)).start();
        return new InVmBroker(broker, users, BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.node(), "node"),
                BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "head"));
    }

    @Override
    public void close() throws Exception {
        node.close();
        head.close();
        broker.close();
    }
}
