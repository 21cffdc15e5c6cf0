package dev.cadre.broker;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** JMS connections to a Cadre broker, in-VM or remote; nothing here assumes the broker is in-process. */
public final class BrokerConnections {
    /** Open remote connections and their URLs, for {@link #abandon}; a connection no longer used drops out. */
    private static final Map<Connection, String> REMOTE = Collections.synchronizedMap(new WeakHashMap<>());

    private BrokerConnections() {
    }

    /**
     * Opens and starts a connection. Remote URLs reconnect for ever with capped backoff, so a broker
     * restart does not take clients down with it.
     */
    public static Connection open(String url, Credentials credentials, String clientName) throws JMSException {
        return open(url, credentials, clientName, null);
    }

    /**
     * As {@link #open(String, Credentials, String)}, with a JMS client id, which durable subscriptions need. The
     * broker refuses a second connection with the same client id while the first is open.
     */
    public static Connection open(String url, Credentials credentials, String clientName, String clientId)
            throws JMSException {
        return open(url, credentials, clientName, clientId, false, null);
    }

    /**
     * As {@link #open(String, Credentials, String, String)}, for a client reaching a head through its client file: a
     * look at the head's listener runs beside the connect ({@link TlsMismatch}), and when it finds that the file and
     * the head disagree on TLS the connect ends at once with its words. Artemis would try for seconds (a plain client
     * waits out its call timeout for a TLS head's topology, each try) and then say only that it could not connect.
     * For a file that asks for TLS the look comes first, and a plain head is not connected to at all.
     *
     * @param url what to connect with: the file's brokerUrl, or {@link ClientFile#coreUrl()}
     * @param file the client file, for the words
     */
    public static Connection openToHead(String url, Credentials credentials, String clientName, String clientId,
            Object file) throws JMSException {
        return open(url, credentials, clientName, clientId, true, file);
    }

    private static Connection open(String url, Credentials credentials, String clientName, String clientId,
            boolean lookAtHead, Object file) throws JMSException {
        // The factory stays open: closing it closes its server locator, and with it this connection.
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(withDefaults(url));
        if (clientId != null) {
            // A started connection can no longer take a client id, so it is set before the connection exists.
            factory.setClientID(clientId);
        }
        String shown = PinnedCertificate.shown(url);
        boolean look = lookAtHead && !url.startsWith("vm:");
        if (look && PinnedCertificate.asksForTls(url)) {
            // Looked at first: a TLS connect to a plain head fails its handshake, and Artemis logs that whole
            // (AMQ214016, a ClosedChannelException's trace) before any words of Cadre's could be said. A TLS head
            // answers the look's hello at once, so this costs a connect that agrees one round trip.
            String mismatch = TlsMismatch.find(shown, true, file);
            if (mismatch != null) {
                factory.close();
                throw new JMSException(mismatch);
            }
        }
        // Closing the factory ends a connect under way at once.
        TlsMismatch.Look beside = !look || PinnedCertificate.asksForTls(url) ? null
                : TlsMismatch.beside(shown, false, file, factory::close);
        try {
            Connection connection = factory.createConnection(credentials.user(), credentials.password());
            if (beside != null) {
                beside.connected();
            }
            connection.start();
            if (!url.startsWith("vm:")) {
                REMOTE.put(connection, url);
            }
            return connection;
        } catch (JMSSecurityException e) {
            factory.close();
            throw new JMSSecurityException("the broker at " + shown + " refused user '" + credentials.user()
                    + "' (" + clientName + "): wrong or missing credentials");
        } catch (JMSException e) {
            factory.close();
            String mismatch = mismatch(beside);
            // Artemis says only "Failed to create session factory": the URL is what the reader needs.
            JMSException named = new JMSException(mismatch != null ? mismatch : "cannot connect to the broker at "
                    + shown + " (" + clientName + "): " + reason(e), e.getErrorCode());
            named.initCause(e);
            named.setLinkedException(e.getLinkedException());
            throw named;
        }
    }

    /** What the look beside a failed connect found, given the time it takes to look. */
    private static String mismatch(TlsMismatch.Look look) {
        if (look == null) {
            return null;
        }
        try {
            return look.mismatch(2L * TlsMismatch.LOOK_MILLIS + TlsMismatch.HANG_UP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String reason(JMSException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e.getLinkedException();
        String reason = e.getMessage();
        if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(reason)) {
            reason += " (" + cause.getMessage() + ")";
        }
        return reason;
    }

    /**
     * Gives up on every open connection to the URL: stops its reconnecting and cleans its sessions up without asking
     * the broker, so that closing them returns at once. Without it, closing a session of a connection that is
     * reconnecting waits for the reconnection, for ever where the broker has moved away.
     */
    public static void abandon(String url) {
        List<Connection> gone = new ArrayList<>();
        synchronized (REMOTE) {
            REMOTE.forEach((c, u) -> {
                if (u.equals(url)) {
                    gone.add(c);
                }
            });
        }
        gone.forEach(BrokerConnections::abandon);
    }

    /**
     * Gives up on one connection as {@link #abandon(String)} does: stops its reconnecting and cleans its sessions up
     * without asking the broker, which also releases a thread waiting in one of its calls for the broker to come back.
     */
    public static void abandon(Connection connection) {
        if (connection instanceof ActiveMQConnection artemis && artemis.getSessionFactory() != null) {
            artemis.getSessionFactory().cleanup();
        }
    }

    /** Hears when a remote connection is cut off and when it is back; what a connection to the broker goes through. */
    public interface LinkListener {
        void lost();

        void regained();
    }

    /**
     * Tells the listener when the connection, which reconnects by itself, loses its broker and when it is back.
     *
     * @throws JMSException when the connection is no Artemis connection of this client
     */
    public static void watchLink(Connection connection, LinkListener listener) throws JMSException {
        if (!(connection instanceof ActiveMQConnection artemis)) {
            throw new JMSException("cannot watch a " + connection.getClass().getName() + " for failures");
        }
        artemis.setFailoverListener(event -> {
            if (event == FailoverEventType.FAILOVER_COMPLETED) {
                listener.regained();
            } else {
                listener.lost();
            }
        });
    }

    static String withDefaults(String url) {
        if (url.startsWith("vm:")) {
            return url;
        }
        String sep = url.contains("?") ? "&" : "?";
        StringBuilder b = new StringBuilder(url);
        for (String p : new String[] {"reconnectAttempts=-1", "retryInterval=200", "retryIntervalMultiplier=2",
                "maxRetryInterval=2000", "initialConnectAttempts=5", "callTimeout=10000"}) {
            if (!url.contains(p.substring(0, p.indexOf('=') + 1))) {
                b.append(sep).append(p);
                sep = "&";
            }
        }
        return b.toString();
    }
}
