package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.MessageCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The client's cancel-job requests and their outstanding answers, so that a timeout, a failed send or
 * {@link CadreClient#close()} fails each one with a {@link CadreException} naming its job.
 */
final class CancelRequests {
    private final SendThread sends;
    private final Duration replyTimeout;
    /** Who asks: the client's user, kept with each job its cancel ends (sacct's "CANCELLED by"). */
    private final String user;
    private final Map<CompletableFuture<ClientReply>, Long> outstanding = new ConcurrentHashMap<>();

    CancelRequests(SendThread sends, Duration replyTimeout, String user) {
        this.sends = sends;
        this.replyTimeout = replyTimeout;
        this.user = user;
    }

    CompletableFuture<ClientReply.CancelResult> send(long jobId) {
        CompletableFuture<ClientReply> reply = new CompletableFuture<>();
        outstanding.put(reply, jobId);
        reply.whenComplete((r, e) -> outstanding.remove(reply));
        sends.send(MessageCodec.encode(new ControlRequest.CancelJob(jobId, null, null, user, null)), reply, () -> true,
                e -> reply.completeExceptionally(new CadreException("could not send cancel-job for job " + jobId
                        + " (it may have arrived; cancelling again is safe): " + e.getMessage(), e)));
        return reply.handle((r, e) -> answer(jobId, r, e));
    }

    /** Fails every cancel still waiting for its answer: the client is closing. */
    void failOutstanding() {
        for (Map.Entry<CompletableFuture<ClientReply>, Long> e : Map.copyOf(outstanding).entrySet()) {
            e.getKey().completeExceptionally(new CadreException("the Cadre client was closed before the scheduler"
                    + " answered the cancel of job " + e.getValue() + "; the cancel may have reached it, and"
                    + " cancelling again (from another client) is safe"));
        }
    }

    private ClientReply.CancelResult answer(long jobId, ClientReply reply, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                cause = new CadreException("no answer from the scheduler to the cancel of job " + jobId + " within "
                        + replyTimeout + " (of its send, or of waiting to send it while the head is away); cancelling again is"
                        + " safe", cause);
            } else if (!(cause instanceof CadreException) || !String.valueOf(cause.getMessage()).contains("job " + jobId)) {
                cause = new CadreException("cancel of job " + jobId + ": " + cause.getMessage(), cause);
            }
            throw new CompletionException(cause);
        }
        if (reply instanceof ClientReply.CancelResult c) {
            return c;
        }
        throw new IllegalStateException("unexpected reply " + MessageCodec.typeName(reply) + " to the cancel of job "
                + jobId);
    }
}
