package dev.cadre.web;

import dev.cadre.protocol.MessageCodec;
import java.util.List;
import java.util.Map;

/**
 * GET /api/events: job state changes and updates ("job") and node changes ("node") as Server-Sent Events, as the scheduler
 * publishes them on cadre.events. Each has an id; a client that reconnects with Last-Event-ID (a browser's
 * EventSource does by itself) gets what it missed, or a "reset" event when that is no longer kept, after which
 * it reads the jobs and nodes again.
 */
final class EventStreamApi {
    /** Where a client that cannot send Last-Event-ID as a header gives it. */
    static final String LAST_EVENT_ID_PARAMETER = "lastEventId";
    private final EventFeed feed;
    private final EventStreams streams;

    EventStreamApi(EventFeed feed, EventStreams streams) {
        this.feed = feed;
        this.streams = streams;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/events", Map.of(), Route.Access.TOKEN_OR_QUERY, this::stream)
                .taking(LAST_EVENT_ID_PARAMETER));
    }

    private Object stream(Exchange x) throws ApiException {
        String last = x.request().getHeaders().get("Last-Event-ID");
        if (last == null) {
            last = x.query(LAST_EVENT_ID_PARAMETER);
        }
        SseStream stream = streams.open(x);
        Runnable unsubscribe = feed.subscribe(last, e -> true, new EventFeed.Listener() {
            @Override
            public void event(EventLog.Entry e) {
                stream.event(e.id(), e.event(), e.data());
            }

            @Override
            public void reset(String reason, String lastId) {
                stream.event(lastId, "reset", MessageCodec.encodeValue(Map.of("reason", reason)));
            }
        });
        stream.onClose(unsubscribe);
        // Only now: a client (a test, a page) that acts once it sees the stream open must get what that causes.
        stream.announce();
        return Exchange.STREAMING;
    }
}
