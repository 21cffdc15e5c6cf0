package dev.cadre.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One client's Server-Sent Events response. Frames are queued from any thread and written in order, one write at
 * a time (Jetty forbids overlapping writes), as many queued frames as fit in one write. A comment every
 * {@link #KEEPALIVE_SECONDS} s keeps proxies and the connection's idle timeout from closing a quiet stream, and
 * finds a client that has gone. A client that falls {@link #MAX_QUEUED} frames or {@link #MAX_QUEUED_CHARS}
 * characters behind is dropped: it reconnects with its last id and is given what it missed, or a reset. A producer
 * that could outrun any client (a file's contents) paces itself with {@link #whenDrained}.
 */
final class SseStream {
    static final int KEEPALIVE_SECONDS = 15;
    static final int MAX_QUEUED = 20_000;
    static final long MAX_QUEUED_CHARS = 16L * 1024 * 1024;
    /** Below this a paced producer may add more: a few writes' worth, so the connection never waits for it. */
    static final long DRAINED_CHARS = 256 * 1024;
    private static final int WRITE_BYTES = 64 * 1024;

    private final Response response;
    private final Callback callback;
    private final Queue<String> frames = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicReference<Runnable> whenDrained = new AtomicReference<>();
    private final List<Runnable> onClose = new ArrayList<>();
    private final ScheduledFuture<?> keepalive;
    private volatile boolean finishing;
    private volatile boolean closed;

    private final IteratingCallback flusher = new IteratingCallback() {
        private boolean lastWritten;

        @Override
        protected Action process() {
            if (lastWritten) {
                return Action.SUCCEEDED;
            }
            StringBuilder batch = new StringBuilder();
            String frame;
            while (batch.length() < WRITE_BYTES && (frame = frames.poll()) != null) {
                batch.append(frame);
                queued.decrementAndGet();
                queuedChars.addAndGet(-frame.length());
            }
            if (queuedChars.get() < DRAINED_CHARS) {
                Runnable next = whenDrained.getAndSet(null);
                if (next != null) {
                    next.run();
                }
            }
            if (batch.length() > 0) {
                response.write(false, ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8)), this);
                return Action.SCHEDULED;
            }
            if (finishing) {
                lastWritten = true;
                response.write(true, BufferUtil.EMPTY_BUFFER, this);
                return Action.SCHEDULED;
            }
            return Action.IDLE;
        }

        @Override
        protected void onCompleteSuccess() {
            closed();
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            closed();
            callback.failed(cause);
        }
    };

    private SseStream(Response response, Callback callback, ScheduledExecutorService timers) {
        this.response = response;
        this.callback = callback;
        this.keepalive = timers.scheduleAtFixedRate(() -> comment("keepalive"), KEEPALIVE_SECONDS,
                KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Makes the response an event stream: 200, text/event-stream. Nothing is sent until {@link #announce} or the
     * first frame, so a client does not see the stream open before it is ready to hand on what comes.
     */
    static SseStream open(Response response, Callback callback, ScheduledExecutorService timers) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
        // Tells a proxy such as nginx to pass each event on at once rather than buffer them.
        response.getHeaders().put("X-Accel-Buffering", "no");
        return new SseStream(response, callback, timers);
    }

    /** Sends the headers and a first frame, so the client knows it is connected. */
    void announce() {
        queue("retry: 2000\n: connected\n\n");
    }

    /** @param id null for an event that a reconnect need not resume after */
    void event(String id, String event, String data) {
        StringBuilder f = new StringBuilder();
        if (id != null) {
            f.append("id: ").append(id).append('\n');
        }
        f.append("event: ").append(event).append('\n');
        for (String line : data.split("\r\n|\r|\n", -1)) {
            f.append("data: ").append(line).append('\n');
        }
        queue(f.append('\n').toString());
    }

    void comment(String text) {
        queue(": " + text + "\n\n");
    }

    /** Writes what is queued, then ends the response. */
    void finish() {
        finishing = true;
        flusher.iterate();
    }

    /** Runs when the stream ends, whether it finished or the client went away; at once if it already has. */
    void onClose(Runnable action) {
        boolean now;
        synchronized (onClose) {
            now = closed;
            if (!now) {
                onClose.add(action);
            }
        }
        if (now) {
            action.run();
        }
    }

    /**
     * Runs {@code next} once the queue has drained below {@link #DRAINED_CHARS} (at once if it has), on the thread
     * that finds it so, which may be Jetty's: {@code next} should hand its work to another thread. Never runs once
     * the stream has ended. At most one action waits at a time.
     */
    void whenDrained(Runnable next) {
        whenDrained.set(next);
        if (queuedChars.get() < DRAINED_CHARS && whenDrained.compareAndSet(next, null)) {
            next.run();
        }
    }

    /** Characters queued and not yet handed to a write. */
    long queuedChars() {
        return queuedChars.get();
    }

    boolean isOpen() {
        return !closed && !finishing;
    }

    private void queue(String frame) {
        if (closed || finishing) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            flusher.abort(new java.io.IOException("the client fell " + MAX_QUEUED + " events behind"));
            return;
        }
        if (queuedChars.addAndGet(frame.length()) > MAX_QUEUED_CHARS) {
            flusher.abort(new java.io.IOException("the client fell " + MAX_QUEUED_CHARS + " characters behind"));
            return;
        }
        frames.add(frame);
        flusher.iterate();
    }

    private void closed() {
        List<Runnable> actions;
        synchronized (onClose) {
            closed = true;
            actions = List.copyOf(onClose);
            onClose.clear();
        }
        keepalive.cancel(false);
        whenDrained.set(null);
        actions.forEach(Runnable::run);
    }
}
