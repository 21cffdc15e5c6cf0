package dev.cadre.client;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running subscription to job events. The listener is called on the subscription's own thread, one event at
 * a time, in the order the scheduler published them. A durable watch keeps its subscription on the broker when
 * closed, so that events published meanwhile wait for the next watch with the same client id and name.
 *
 * <p>A state change names who cancelled its job ({@link JobEvent.JobStateChanged#cancelledBy()}) on the events a
 * cancel makes, and is null on every other and for the scheduler's own cancels; an event that names anything but a
 * user name is refused by the decoder and skipped, as any unreadable event.
 *
 * <p>A plain watch subscribes again under a new name after its connection came back from a failure ({@link #renew}):
 * the subscription Artemis re-creates under the old name can be deleted with the old connection.
 */
public final class Watch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watch.class);
    private final Session session;
    private final Connection ownConnection;
    private final String subscriptionName;
    private final Consumer<Watch> onClose;
    private volatile boolean closed;
    /** What a plain watch subscribes with; null for a durable one, whose queue outlives connections. */
    private final EventFilter filter;
    private final Consumer<JobEvent> listener;
    private Subscription current;

    /** One consumer of the topic; once retired it drops what it still receives. */
    private record Subscription(MessageConsumer consumer, AtomicBoolean retired) {
    }

    /** A durable watch, whose consumer the caller made on the session. */
    Watch(Session session, Connection ownConnection, String subscriptionName, Consumer<Watch> onClose) {
        this(session, ownConnection, subscriptionName, onClose, null, null);
    }

    private Watch(Session session, Connection ownConnection, String subscriptionName, Consumer<Watch> onClose,
            EventFilter filter, Consumer<JobEvent> listener) {
        this.session = session;
        this.ownConnection = ownConnection;
        this.subscriptionName = subscriptionName;
        this.onClose = onClose;
        this.filter = filter;
        this.listener = listener;
    }

    /** A plain watch on the session, subscribed at once. */
    static Watch plain(Session session, EventFilter filter, Consumer<JobEvent> listener,
            Consumer<Watch> onClose) throws JMSException {
        Watch w = new Watch(session, null, null, onClose, filter, listener);
        w.current = w.subscribe();
        return w;
    }

    private Subscription subscribe() throws JMSException {
        AtomicBoolean retired = new AtomicBoolean();
        MessageListener deliver = deliveringTo(listener);
        MessageConsumer c = session.createConsumer(session.createTopic(Destinations.EVENTS), filter.selector());
        c.setMessageListener(m -> {
            if (!retired.get()) {
                deliver.onMessage(m);
            }
        });
        return new Subscription(c, retired);
    }

    /**
     * Subscribes a plain watch again under a new name, after its connection came back from a failure. The old
     * subscription stops delivering first, so no event comes twice; events published while the connection was down
     * are not delivered (a reconnect listener can read the current state).
     */
    synchronized void renew() throws JMSException {
        if (closed || current == null) {
            return;
        }
        Subscription old = current;
        old.retired().set(true);
        current = subscribe();
        try {
            old.consumer().close();
        } catch (JMSException e) {
            // Its queue may be gone with the old connection already.
        }
    }

    /** A listener of every event that passes on only the state changes, as {@code CadreClient.watch} delivers. */
    static Consumer<JobEvent> stateChanges(Consumer<JobEvent.JobStateChanged> listener) {
        return e -> {
            if (e instanceof JobEvent.JobStateChanged changed) {
                listener.accept(changed);
            }
        };
    }

    /** Turns a listener of decoded events into a JMS listener that survives bad messages and listener errors. */
    static MessageListener deliveringTo(Consumer<JobEvent> listener) {
        return m -> {
            JobEvent event = decode(m);
            if (event == null) {
                return;
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // Thrown back into JMS it would redeliver the same event to the same failing listener.
                LOG.warn("a job event listener failed on {}: {}", event, e.toString(), e);
            }
        };
    }

    /** The event, or null for a message that is none this client knows (a newer head's type, which it skips). */
    static JobEvent decode(Message m) {
        try {
            if (m instanceof TextMessage t) {
                return MessageCodec.decode(t.getText(), JobEvent.class);
            }
            LOG.debug("skipped an event message that is not text");
        } catch (ProtocolException e) {
            if (e.code() == RejectionCode.UNKNOWN_TYPE) {
                // Receivers ignore types they do not know (protocol.md 8.2): a newer head's are no fault of anyone.
                LOG.debug("skipped an event of a type this client does not know: {}", e.getMessage());
            } else {
                LOG.warn("skipped an unreadable job event: {}", e.getMessage());
            }
        } catch (JMSException e) {
            LOG.warn("skipped an unreadable job event: {}", e.getMessage());
        }
        return null;
    }

    public boolean isDurable() {
        return subscriptionName != null;
    }

    /** Stops delivery. A durable subscription stays on the broker and keeps collecting events. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.close();
            if (ownConnection != null) {
                ownConnection.close();
            }
        } catch (JMSException e) {
            LOG.debug("closing a watch: {}", e.getMessage());
        }
        onClose.accept(this);
    }

    /** Closes the watch and deletes its durable subscription with every event it still holds. */
    public void unsubscribe() throws CadreException {
        if (!isDurable()) {
            throw new IllegalStateException("only a durable watch has a subscription to delete");
        }
        if (closed) {
            throw new IllegalStateException("the watch is closed; delete the subscription with "
                    + "CadreClient.deleteSubscription(clientId, name)");
        }
        closed = true;
        try {
            session.close();
            // The subscription can only be removed once its consumer is gone, on the connection that owns its id.
            Session s = ownConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.unsubscribe(subscriptionName);
            s.close();
        } catch (JMSException e) {
            throw new CadreException("could not delete subscription '" + subscriptionName + "': " + e.getMessage(), e);
        } finally {
            try {
                ownConnection.close();
            } catch (JMSException e) {
                LOG.debug("closing a watch: {}", e.getMessage());
            }
            onClose.accept(this);
        }
    }
}
