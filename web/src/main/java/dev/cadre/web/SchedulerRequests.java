package dev.cadre.web;

import dev.cadre.broker.RequestClient;
import dev.cadre.broker.SubmissionDiskLimit;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.MessageCodec;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Requests to the scheduler over the broker, each answered or turned into the HTTP status that explains why not. */
final class SchedulerRequests {
    private static final long REPLY_TIMEOUT_SECONDS = 30;
    private final RequestClient requests;
    private final BrokerWaits waits;
    private final SubmissionDiskLimit disk;

    SchedulerRequests(RequestClient requests, BrokerWaits waits, SubmissionDiskLimit disk) {
        this.requests = requests;
        this.waits = waits;
        this.disk = disk;
    }

    /**
     * The scheduler's reply; 503 without sending anything when too many requests wait already, and 507 for a
     * request that adds work (a job, a service) while the disk is past the limit the broker holds the submitter
     * account to: the Slurm commands submit here, and must stop where other clients stop.
     */
    ClientReply send(ClientRequest request) throws Exception {
        if (request instanceof ClientRequest.SubmitJob || request instanceof ClientRequest.SubmitJobs
                || request instanceof ClientRequest.CreateService) {
            Optional<String> refusal = disk.refusal();
            if (refusal.isPresent()) {
                throw new ApiException(507, refusal.get());
            }
        }
        try {
            // orTimeout ends the future itself, so an unanswered request leaves nothing behind in the client.
            return waits.await(() -> requests.send(request).orTimeout(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new ApiException(504, "the scheduler did not answer within " + REPLY_TIMEOUT_SECONDS + " s");
            }
            throw new ApiException(502, "no usable answer from the scheduler: " + e.getCause().getMessage());
        }
    }

    static ApiException unexpected(ClientReply reply) {
        return new ApiException(502, "unexpected reply " + MessageCodec.typeName(reply));
    }
}
