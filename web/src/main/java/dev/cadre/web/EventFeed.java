package dev.cadre.web;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of cadre.events for every event stream of the API, heard from the scheduler in the head's process:
 * each is numbered in an {@link EventLog} and handed to the streams that want it, in publishing order.
 */
final class EventFeed implements JobEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    /** A stream's side. Called under the feed's lock: it must only queue, never block. */
    interface Listener {
        void event(EventLog.Entry entry);

        /** The events after the client's last one are not kept; it must read the state again. */
        void reset(String reason, String lastId);
    }

    private record Subscriber(Predicate<EventLog.Entry> wanted, Listener listener) {
    }

    private final EventLog log;
    private final List<Subscriber> subscribers = new ArrayList<>();

    EventFeed(EventLog log) {
        this.log = log;
    }

    @Override
    public synchronized void published(JobEvent event, String text) {
        Long jobId = jobId(event);
        EventLog.Entry entry = log.append(jobId == null ? "node" : "job", text, jobId);
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

    /** The job an event is of, or null for a node's. */
    private static Long jobId(JobEvent event) {
        if (event instanceof JobEvent.JobStateChanged j) {
            return j.jobId();
        }
        if (event instanceof JobEvent.JobUpdated u) {
            return u.jobId();
        }
        return event instanceof JobEvent.ArrayPartJoined p ? p.jobId() : null;
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
}
