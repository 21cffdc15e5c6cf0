package dev.cadre.broker;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** JMS connections to a Cadre broker, in-VM or remote; nothing here assumes the broker is in-process. */
public final class BrokerConnections {
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
        // The factory stays open: closing it closes its server locator, and with it this connection.
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(withDefaults(url));
        if (clientId != null) {
            // A started connection can no longer take a client id, so it is set before the connection exists.
            factory.setClientID(clientId);
        }
        try {
            Connection connection = factory.createConnection(credentials.user(), credentials.password());
            connection.start();
            return connection;
        } catch (JMSSecurityException e) {
            factory.close();
            throw new JMSSecurityException("the broker at " + url + " refused user '" + credentials.user()
                    + "' (" + clientName + "): wrong or missing credentials");
        }
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
