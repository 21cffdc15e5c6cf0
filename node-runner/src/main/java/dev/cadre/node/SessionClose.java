package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a JMS session, or a node's connection, without waiting for a broker that is away. While the connection is
 * reconnecting, a session's close waits for the broker once per call it makes (its producers' and consumers', its
 * own), 30 s each: past {@code wait} the session is left to the connection's close, or to the process's end.
 */
public final class SessionClose {
    private static final Logger LOG = LoggerFactory.getLogger(SessionClose.class);
    /** How long a close given up on may take once its connection is abandoned, which releases its waits. */
    private static final Duration AFTER_ABANDON = Duration.ofSeconds(2);

    private SessionClose() {
    }

    /** @param what names the session in the thread and the log, e.g. "runner event" */
    static void within(Session session, String what, Duration wait) throws InterruptedException {
        Thread closing = new Thread(() -> {
            try {
                session.close();
            } catch (JMSException | RuntimeException e) {
                LOG.debug("{} session not closed: {}", what, e.toString());
            }
        }, "cadre-" + what.replace(' ', '-') + "-session-close");
        closing.setDaemon(true);
        closing.start();
        closing.join(wait.toMillis());
        if (closing.isAlive()) {
            LOG.info("the broker is away; the {} session is left to the connection's close", what);
        }
    }

    /**
     * Stops a node's runner, then closes the connection it ran on, both within the runner's stop deadline
     * ({@link NodeRunner#CLOSE_LIMIT}), as {@code cadre node} does on SIGTERM. A session close that {@link #within}
     * left waiting for the broker holds the connection's lock, and the connection's own close waits for that lock for
     * as long as the connection tries to reconnect (minutes, when the head stopped with the node): past the deadline
     * the connection is given up ({@link BrokerConnections#abandon(Connection)}), which ends those waits.
     *
     * @param runner the node's runner, usually a {@link NodeRunner}
     */
    public static void stop(AutoCloseable runner, Connection connection) throws Exception {
        long deadline = System.nanoTime() + NodeRunner.CLOSE_LIMIT.toNanos();
        try {
            runner.close();
        } finally {
            connectionBy(connection, deadline);
        }
    }

    /** Closes the connection, giving it up once {@code deadline} ({@link System#nanoTime}) has passed. */
    private static void connectionBy(Connection connection, long deadline) throws Exception {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread closing = new Thread(() -> {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                failed.set(e);
            }
        }, "cadre-connection-close");
        closing.setDaemon(true);
        closing.start();
        closing.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (closing.isAlive()) {
            LOG.warn("the broker did not answer the stop within {} s; the node's connection is given up",
                    NodeRunner.CLOSE_LIMIT.toSeconds());
            BrokerConnections.abandon(connection);
            closing.join(AFTER_ABANDON.toMillis());
            if (closing.isAlive()) {
                LOG.warn("the node's connection did not close; it is left to the process's end");
                return;
            }
        }
        if (failed.get() != null) {
            throw failed.get();
        }
    }
}
