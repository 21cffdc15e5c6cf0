package dev.cadre.web;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's one subscription to cadre.events, shared by every event stream of the API: each event is numbered
 * in an {@link EventLog} and handed to the streams that want it, in the order the broker delivered it.
 */
final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    /** A stream's side. Called under the feed's lock: it must only queue, never block. */
    interface Listener {
        void event(EventLog.Entry entry);

        /** The events after the client's last one are not kept; it must read the state again. */
        void reset(String reason, String lastId);
    }

    private record Subscriber(Predicate<EventLog.Entry> wanted, Listener listener) {
    }

    private final Session session;
    private final EventLog log;
    private final List<Subscriber> subscribers = new ArrayList<>();

    EventFeed(Connection connection, EventLog log) throws JMSException {
        this.log = log;
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createTopic(Destinations.EVENTS)).setMessageListener(this::onMessage);
    }

    private void onMessage(Message m) {
        String text;
        JobEvent event;
        try {
            if (!(m instanceof TextMessage t)) {
                LOG.warn("skipped an event that is not a text message");
                return;
            }
            text = t.getText();
            event = MessageCodec.decode(text, JobEvent.class);
        } catch (ProtocolException | JMSException e) {
            LOG.warn("skipped an unreadable event: {}", e.getMessage());
            return;
        }
        synchronized (this) {
            EventLog.Entry entry = event instanceof JobEvent.JobStateChanged j ? log.append("job", text, j.jobId())
                    : log.append("node", text, null);
            // A copy: a stream whose client has gone unsubscribes while it is handed an event.
            for (Subscriber s : List.copyOf(subscribers)) {
                if (s.wanted().test(entry)) {
                    try {
                        s.listener().event(entry);
                    } catch (RuntimeException e) {
                        LOG.warn("an event stream failed to take event {}: {}", entry.id(), e.toString());
                    }
                }
            }
        }
    }

    /**
     * Hands the listener what came after lastEventId (or a reset), then every new event it wants, with nothing
     * lost or repeated in between.
     *
     * @return ends the subscription
     */
    synchronized Runnable subscribe(String lastEventId, Predicate<EventLog.Entry> wanted, Listener listener) {
        EventLog.Since since = log.since(lastEventId);
        if (since instanceof EventLog.Reset r) {
            listener.reset(r.reason(), log.lastId());
        } else {
            ((EventLog.Replay) since).entries().stream().filter(wanted).forEach(listener::event);
        }
        Subscriber s = new Subscriber(wanted, listener);
        subscribers.add(s);
        return () -> {
            synchronized (this) {
                subscribers.remove(s);
            }
        };
    }

    @Override
    public void close() throws JMSException {
        session.close();
    }
}
