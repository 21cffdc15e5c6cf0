package dev.cadre.cli;

import dev.cadre.broker.ClientFile;
import dev.cadre.broker.Credentials;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The head's broker as an outside client sees it: plain Artemis JMS over TCP (never the in-VM broker), as the
 * submitter of the client file or as the admin of the data directory's secrets.
 */
final class HeadBroker implements AutoCloseable {
    private final String url;
    private final Credentials submitter;
    private final Credentials admin;
    private final List<ActiveMQConnectionFactory> factories = new ArrayList<>();

    HeadBroker(CadreProcess cadre) throws IOException {
        this.url = "tcp://127.0.0.1:" + cadre.ports[1];
        this.submitter = ClientFile.read(cadre.dataDir.resolve(ClientFile.CLIENT_FILE)).credentials();
        this.admin = MessageCodec.mapper().readValue(cadre.dataDir.resolve(HeadSecrets.FILE).toFile(),
                HeadSecrets.class).users().admin();
    }

    Credentials submitter() {
        return submitter;
    }

    Credentials admin() {
        return admin;
    }

    /**
     * A started connection that does not reconnect by itself: the clients of these tests notice a lost broker
     * and decide themselves what to send again.
     */
    Connection connect(Credentials who) throws JMSException {
        // The factory stays open while its connection is in use: closing it would close the connection.
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url
                + "?reconnectAttempts=0&initialConnectAttempts=1&callTimeout=10000&callFailoverTimeout=10000");
        synchronized (factories) {
            factories.add(factory);
        }
        Connection connection = factory.createConnection(who.user(), who.password());
        connection.start();
        return connection;
    }

    /**
     * Creates an anycast queue as admin. A STOMP client needs one for its replies: it cannot create a
     * temporary queue, and the broker auto-creates nothing outside cadre.* for anybody.
     */
    void createQueue(String name, boolean durable) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
                ClientSessionFactory sessions = locator.createSessionFactory();
                ClientSession session = sessions.createSession(admin.user(), admin.password(), false, true, true,
                        false, 1)) {
            session.createAddress(SimpleString.of(name), RoutingType.ANYCAST, false);
            session.createQueue(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(durable));
        }
    }

    @Override
    public void close() {
        synchronized (factories) {
            factories.forEach(ActiveMQConnectionFactory::close);
            factories.clear();
        }
    }
}
