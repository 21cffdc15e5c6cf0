package dev.cadre.client;

import dev.cadre.broker.RequestClient;
import dev.cadre.protocol.ClientReply;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one thread that hands requests to the broker. A send waits for as long as the broker is away (the
 * connection reconnects for ever, and a send made meanwhile waits for the reconnection), so neither a caller's
 * thread nor the event thread makes one: they queue it here and go on, and each reply's deadline runs from the
 * moment its request was queued.
 */
final class SendThread {
    private static final Logger LOG = LoggerFactory.getLogger(SendThread.class);
    private final RequestClient requests;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cadre-client-sends");
        t.setDaemon(true);
        return t;
    });

    SendThread(RequestClient requests) {
        this.requests = requests;
    }

    /**
     * Queues the request; {@code reply} completes with the scheduler's answer. A send that fails leaves the
     * outcome unknown (the broker may have stored the request before the connection broke), so it does not fail
     * {@code reply}: the failure goes to {@code notSent}, and the caller's deadline decides what follows. A request
     * whose reply is done, or that is no longer wanted, by the time its turn comes is not sent.
     */
    void send(String encodedRequest, CompletableFuture<ClientReply> reply, BooleanSupplier wanted,
            Consumer<Exception> notSent) {
        try {
            thread.execute(() -> {
                if (reply.isDone() || !wanted.getAsBoolean()) {
                    return;
                }
                try {
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
                }
            });
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new CadreException("the Cadre client is closed"));
        }
    }

    /** Drops the queued requests; a send under way ends when the connection is closed. */
    void shutdown() {
        thread.shutdownNow();
    }
}
