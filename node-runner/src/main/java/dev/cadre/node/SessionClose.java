package dev.cadre.node;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a JMS session without waiting for a broker that is away. While the connection is reconnecting, a session's
 * close waits for the broker once per call it makes (its producers' and consumers', its own), 30 s each: past
 * {@code wait} the session is left to the connection's close, or to the process's end.
 */
final class SessionClose {
    private static final Logger LOG = LoggerFactory.getLogger(SessionClose.class);

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
}
