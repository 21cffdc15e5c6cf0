package dev.cadre.client;

import dev.cadre.broker.RequestClient;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a client's sessions within a bound. Closing a JMS session waits for the broker to answer, and a connection
 * that broke without telling the client yet would make {@link CadreClient#close()} wait for ever; so the close runs
 * on its own thread, and when it takes longer than the reply timeout the sessions are given up without asking the
 * broker.
 */
final class ConnectionCloser {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCloser.class);
    private final Connection connection;
    private final EventSubscriptions subscriptions;
    private final Session ownEvents;
    private final RequestClient requests;
    private final String brokerUrl;

    ConnectionCloser(Connection connection, EventSubscriptions subscriptions, Session ownEvents,
            RequestClient requests, String brokerUrl) {
        this.connection = connection;
        this.subscriptions = subscriptions;
        this.ownEvents = ownEvents;
        this.requests = requests;
        this.brokerUrl = brokerUrl;
    }

    /** Returns within about {@code bound} plus one second; a close still running is left to a daemon thread. */
    void close(Duration bound) {
        Thread closer = new Thread(this::closeSessions, "cadre-client-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(bound.toMillis());
            if (closer.isAlive()) {
                // The connection broke without telling us yet; waiting longer would wait for the broker.
                giveUp(connection);
                closer.join(1000);
            }
            if (closer.isAlive()) {
                LOG.warn("closing the connection to {} did not finish; leaving it to a background thread", brokerUrl);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the future until the deadline ({@link System#nanoTime()}); closing goes on however it ends. */
    static void awaitQuietly(CompletableFuture<?> f, long deadlineNanos) {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing goes on: what is still open fails after the wait.
        }
    }

    /** Cleans the sessions up without asking the broker, so that closing them returns at once. */
    static void giveUp(Connection connection) {
        if (connection instanceof ActiveMQConnection artemis && artemis.getSessionFactory() != null) {
            artemis.getSessionFactory().cleanup();
        }
    }

    private void closeSessions() {
        subscriptions.closeAll();
        try {
            ownEvents.close();
            requests.close();
        } catch (JMSException e) {
            LOG.debug("closing the client: {}", e.getMessage());
        }
    }
}
