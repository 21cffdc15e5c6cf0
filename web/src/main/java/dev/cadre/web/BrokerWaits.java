package dev.cadre.web;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * The requests that hold one of Jetty's threads while they wait for an answer over the broker (the scheduler's
 * reply, a node's read of a file): at most the limit given at once, so that a scheduler or node that answers
 * slowly cannot take every thread and leave the cheap requests (lists, the page) unanswered. One more is refused
 * with 503 and Retry-After before it sends anything, so a refused submission is not submitted.
 */
final class BrokerWaits {
    static final int RETRY_AFTER_SECONDS = 2;
    private final int limit;
    private final Semaphore permits;

    BrokerWaits(int limit) {
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /**
     * Sends the request and waits for its answer, holding one of the permits meanwhile.
     *
     * @param send sends the request; called only once a permit is held
     * @throws ExecutionException as {@link CompletableFuture#get()}, with the answer's failure
     */
    <T> T await(Callable<CompletableFuture<T>> send) throws Exception {
        if (!permits.tryAcquire()) {
            throw ApiException.busy(limit + " requests already wait for the scheduler or a node, the most this"
                    + " server lets wait at once; nothing was sent: try again shortly", RETRY_AFTER_SECONDS);
        }
        try {
            return send.call().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while waiting for an answer");
        } finally {
            permits.release();
        }
    }
}
