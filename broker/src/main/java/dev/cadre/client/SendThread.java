package dev.cadre.client;

import dev.cadre.broker.RequestClient;
import dev.cadre.protocol.ClientReply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one thread that hands requests to the broker, and the reply deadlines of those requests. A send waits
 * for as long as the broker is away (the connection reconnects for ever, and a send made meanwhile waits for the
 * reconnection), so neither a caller's thread nor the event thread makes one: they queue it here and go on.
 *
 * <p>A reply's deadline is {@code replyTimeout} after its request was sent. Time spent in this queue while the thread
 * keeps sending other requests does not count, so a burst of thousands of requests, sent one at a time, does not
 * time out in the client's own queue; time spent while the thread is stuck (the broker away) does, so a request
 * made while the broker is down still fails after {@code replyTimeout}.
 */
final class SendThread {
    private static final Logger LOG = LoggerFactory.getLogger(SendThread.class);
    private final RequestClient requests;
    private final long timeoutNanos;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> daemon(r, "cadre-client-sends"));
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cadre-client-deadlines"));
    /** When the thread last finished a send (or skipped one): a queue that moves keeps its requests' time. */
    private volatile long lastProgress = System.nanoTime();

    SendThread(RequestClient requests, Duration replyTimeout) {
        this.requests = requests;
        this.timeoutNanos = replyTimeout.toNanos();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One queued request's times; {@code sentAt} is 0 until the send is done (or was skipped or failed). */
    private static final class Timing {
        final long queuedAt = System.nanoTime();
        volatile long sentAt;
    }

    /**
     * Queues the request; {@code reply} completes with the scheduler's answer, or fails with a
     * {@link TimeoutException} at its deadline. A send that fails leaves the outcome unknown (the broker may have
     * stored the request before the connection broke), so it does not fail {@code reply}: the failure goes to
     * {@code notSent}, and the deadline decides what follows. A request whose reply is done, or that is no longer
     * wanted, by the time its turn comes is not sent.
     */
    void send(String encodedRequest, CompletableFuture<ClientReply> reply, BooleanSupplier wanted,
            Consumer<Exception> notSent) {
        Timing timing = new Timing();
        try {
            thread.execute(() -> sendNow(encodedRequest, reply, wanted, notSent, timing));
            deadlines.schedule(() -> checkDeadline(reply, timing), timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new CadreException("the Cadre client is closed"));
        }
    }

    private void sendNow(String encodedRequest, CompletableFuture<ClientReply> reply, BooleanSupplier wanted,
            Consumer<Exception> notSent, Timing timing) {
        try {
            if (reply.isDone() || !wanted.getAsBoolean()) {
                return;
            }
            CompletableFuture<ClientReply> answer = requests.send(encodedRequest);
            answer.whenComplete((r, e) -> {
                if (e == null) {
                    reply.complete(r);
                } else {
                    reply.completeExceptionally(e);
                }
            });
            // A reply nobody waits for any more leaves the request client's table.
            reply.whenComplete((r, e) -> answer.cancel(false));
        } catch (Exception e) {
            LOG.debug("a request was not sent, or its outcome is unknown: {}", e.toString());
            notSent.accept(e);
        } finally {
            long now = System.nanoTime();
            timing.sentAt = now;
            lastProgress = now;
        }
    }

    /** Fails the reply at its deadline, or looks again when the deadline has moved on (the queue kept moving). */
    private void checkDeadline(CompletableFuture<ClientReply> reply, Timing timing) {
        if (reply.isDone()) {
            return;
        }
        long sentAt = timing.sentAt;
        long start = sentAt != 0 ? sentAt : Math.max(timing.queuedAt, lastProgress);
        long left = start + timeoutNanos - System.nanoTime();
        if (left <= 0) {
            reply.completeExceptionally(new TimeoutException());
            return;
        }
        try {
            deadlines.schedule(() -> checkDeadline(reply, timing), left, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: close() fails what is still open.
        }
    }

    /**
     * Sends what is queued (requests no longer wanted are skipped), waiting at most {@code wait} for that; then
     * drops what is left and interrupts a send under way, which ends anyway when the connection is closed.
     */
    void finish(Duration wait) {
        thread.shutdown();
        try {
            if (!wait.isZero() && !wait.isNegative()) {
                thread.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
        deadlines.shutdownNow();
    }
}
