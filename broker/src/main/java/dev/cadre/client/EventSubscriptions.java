package dev.cadre.client;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's watches on cadre.events: plain ones on the client's connection, durable ones on their own. */
final class EventSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(EventSubscriptions.class);
    private final ClientFile file;
    private final ClientSettings settings;
    private final Connection connection;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    EventSubscriptions(ClientFile file, ClientSettings settings, Connection connection) {
        this.file = file;
        this.settings = settings;
        this.connection = connection;
    }

    /** Opens a started connection to the client file's broker, with a JMS client id or none. */
    static Connection open(ClientFile file, ClientSettings settings, String clientId) throws CadreException {
        try {
            return BrokerConnections.openToHead(file.coreUrl(), file.credentials(), settings.clientName(), clientId,
                    null);
        } catch (IOException e) {
            throw new CadreException("cannot connect to Cadre's broker at " + file.brokerUrl() + ": "
                    + e.getMessage(), e);
        } catch (JMSException e) {
            throw new CadreException("cannot connect to Cadre's broker at " + file.brokerUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    Watch watch(EventFilter filter, Consumer<JobEvent> listener) throws CadreException {
        try {
            Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try {
                return track(Watch.plain(s, filter, listener, watches::remove));
            } catch (JMSException e) {
                s.close();
                throw e;
            }
        } catch (JMSException e) {
            throw new CadreException("cannot subscribe to job events: " + e.getMessage(), e);
        }
    }

    Watch durable(String clientId, String subscriptionName, EventFilter filter,
            Consumer<JobEvent.JobStateChanged> listener) throws CadreException {
        Connection own = open(file, settings, clientId);
        try {
            Session s = own.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic(Destinations.EVENTS), subscriptionName, filter.selector(), false)
                    .setMessageListener(Watch.deliveringTo(Watch.stateChanges(listener)));
            return track(new Watch(s, own, subscriptionName, watches::remove));
        } catch (JMSException e) {
            closeQuietly(own);
            throw new CadreException("cannot open durable subscription '" + subscriptionName + "' of client id '"
                    + clientId + "': " + e.getMessage(), e);
        }
    }

    void delete(String clientId, String subscriptionName) throws CadreException {
        Connection own = open(file, settings, clientId);
        try {
            own.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe(subscriptionName);
        } catch (JMSException e) {
            throw new CadreException("cannot delete subscription '" + subscriptionName + "': " + e.getMessage(), e);
        } finally {
            closeQuietly(own);
        }
    }

    /**
     * Subscribes the plain watches again under new names after the client's connection came back (see
     * {@link Watch#renew}); durable watches have connections and queues of their own that outlive a failure.
     */
    void renew() {
        for (Watch w : List.copyOf(watches)) {
            try {
                w.renew();
            } catch (JMSException | RuntimeException e) {
                LOG.warn("could not subscribe a watch again after a reconnect ({}); it gets no events until the next"
                        + " reconnect", e.getMessage());
            }
        }
    }

    private Watch track(Watch w) {
        watches.add(w);
        // A watch opened while the client closed would otherwise outlive it.
        if (closed) {
            w.close();
        }
        return w;
    }

    void closeAll() {
        closed = true;
        List.copyOf(watches).forEach(Watch::close);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException e) {
            LOG.debug("closing a connection: {}", e.getMessage());
        }
    }
}
