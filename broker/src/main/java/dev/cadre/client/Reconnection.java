package dev.cadre.client;

import dev.cadre.broker.RequestClient;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client does when its connection came back from a failure. Artemis re-creates the client's temporary queues
 * (its reply queue, and the queues of its plain subscriptions) under their old names when it reconnects, while the
 * broker deletes those names with the old sessions: when it refuses the client's request to reattach them, or when it
 * drops the old connection (at once, or at its TTL when the client vanished silently), on threads of its own that may
 * run after the re-creation. Replies and endings then go nowhere, for good (AMQ229203, AMQ229017 in the broker's log).
 * So the client first moves to queues of new names, then asks again about every outstanding submission, whose answers
 * carry the jobs' current states, since events may have been lost with the connection; then it subscribes the plain
 * watches again, then runs the reconnect listeners.
 *
 * <p>Renewing waits for the broker (and for a watch's listener to return), so it runs on a thread of its own, neither
 * on the JMS thread that reports the reconnect nor on the client's event thread, whose deadlines must not wait.
 */
final class Reconnection {
    private static final Logger LOG = LoggerFactory.getLogger(Reconnection.class);
    private final String brokerUrl;
    private final RequestClient requests;
    private final Watch endings;
    private final SubmissionSender submissions;
    private final EventSubscriptions subscriptions;
    private final EventThread events;
    private final BooleanSupplier closed;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final EventThread thread = new EventThread("cadre-client-reconnects");
    /** False from a failure of the connection until it is back: closing its sessions meanwhile would wait for it. */
    private volatile boolean linkUp = true;

    Reconnection(String brokerUrl, RequestClient requests, Watch endings, SubmissionSender submissions,
            EventSubscriptions subscriptions, EventThread events, BooleanSupplier closed) {
        this.brokerUrl = brokerUrl;
        this.requests = requests;
        this.endings = endings;
        this.submissions = submissions;
        this.subscriptions = subscriptions;
        this.events = events;
        this.closed = closed;
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Follows the connection's failures and reconnections (Artemis reports them; no other connection fails over). */
    void follow(Connection connection) throws JMSException {
        if (connection instanceof ActiveMQConnection artemis) {
            artemis.setFailoverListener(type -> {
                linkUp = type == FailoverEventType.FAILOVER_COMPLETED;
                if (linkUp) {
                    thread.execute(this::renew); // returns at once: the JMS thread reporting it must not wait
                }
            });
        }
    }

    /** Whether the connection is up: not between a failure and its reconnection. */
    boolean linkUp() {
        return linkUp;
    }

    /** A renewal under way ends with the connection, which the closing client closes or gives up. */
    void shutdown() {
        thread.shutdown();
    }

    private void renew() {
        if (closed.getAsBoolean()) {
            return;
        }
        try {
            requests.renewReplyQueue();
            endings.renew();
        } catch (JMSException | RuntimeException e) {
            // As a rule the connection failed again (or the client is closing): a next reconnect renews them again.
            LOG.warn("could not renew the reply queue and the endings subscription at {}: {}", brokerUrl,
                    e.getMessage());
        }
        events.execute(() -> {
            LOG.info("reconnected to {}; asking again about {} outstanding submissions", brokerUrl,
                    submissions.live().size());
            for (Submission s : submissions.live()) {
                submissions.askAgain(s);
            }
        });
        subscriptions.renew();
        events.execute(() -> {
            for (Runnable r : listeners) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("a reconnect listener failed: {}", e.toString(), e);
                }
            }
        });
    }
}
