package dev.cadre.web;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the Server-Sent Event streams of the API (/api/events and followed output), at most the limit given at
 * once: each holds a connection and a place in the event feed for as long as its client stays, so without a cap
 * forgotten tabs and scripts could take every connection. One more is refused with 503 naming the limit; an
 * EventSource then tries again later (the status page backs off).
 */
final class EventStreams {
    static final int RETRY_AFTER_SECONDS = 10;
    private final int limit;
    private final ScheduledExecutorService timers;
    private final AtomicInteger open = new AtomicInteger();

    EventStreams(int limit, ScheduledExecutorService timers) {
        this.limit = limit;
        this.timers = timers;
    }

    /** Starts the exchange's response as an event stream, counted until it ends; 503 when the limit is reached. */
    SseStream open(Exchange x) throws ApiException {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            throw ApiException.busy(limit + " event streams are open, the most this server keeps at once; close"
                    + " some (each browser tab holds one or two) or try again later", RETRY_AFTER_SECONDS);
        }
        SseStream sse;
        try {
            sse = SseStream.open(x.response(), x.callback(), timers);
        } catch (RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        sse.onClose(open::decrementAndGet);
        return sse;
    }
}
