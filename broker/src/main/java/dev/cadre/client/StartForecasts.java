package dev.cadre.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The client's start forecasts ({@code squeue --start}, {@code sbatch --test-only}): {@code forecast-starts} on
 * {@code cadre.submit}, which the client's broker role may send to (docs/protocol.md 2.3, 5.9), answered on its reply
 * queue like a submission. The plan lists only the pending jobs it gives a start, so for one job the client first
 * reads the job's state and reason from the head's REST API ({@code GET /api/jobs/ID}; the bus has no request for
 * it): that tells an unknown or running job from a pending one the plan does not reach, and says why it waits.
 */
final class StartForecasts {
    private final SendThread sends;
    private final Duration replyTimeout;
    private final HeadRestApi head;
    /** A trial's spec without a user gets this one, as a submission does: the user's priority orders the plan. */
    private final String user;
    /** Each forecast waiting for the scheduler, with what it asks, so that close() can say which one it failed. */
    private final Map<CompletableFuture<ClientReply>, String> outstanding = new ConcurrentHashMap<>();

    StartForecasts(SendThread sends, Duration replyTimeout, HeadRestApi head, String user) {
        this.sends = sends;
        this.replyTimeout = replyTimeout;
        this.head = head;
        this.user = user;
    }

    CompletableFuture<StartEstimate> expectedStart(long jobId) {
        if (jobId < 1) {
            throw new IllegalArgumentException("a job id is at least 1, not " + jobId);
        }
        String what = "the start of job " + jobId;
        return head.get("/api/jobs/" + jobId, "forecast " + what, (status, body) -> waitReason(jobId, status, body))
                .thenCompose(reason -> ask(new ClientRequest.ForecastStarts(), what)
                        .thenApply(f -> f.starts().stream().filter(s -> s.jobId() == jobId).findFirst()
                                .map(s -> estimate(s, reason))
                                .orElse(new StartEstimate(jobId, null, List.of(), null, reason))));
    }

    CompletableFuture<StartEstimate> trialStart(JobSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("a trial start needs the spec of the job to plan, not null");
        }
        JobSpec withUser = spec.user() == null ? spec.toBuilder().user(user).build() : spec;
        return ask(new ClientRequest.ForecastStarts(withUser), "the start of a trial job").thenApply(f -> f.starts()
                .isEmpty() ? new StartEstimate(0, null, List.of(), null, f.notPlanned())
                : estimate(f.starts().get(0), f.notPlanned()));
    }

    /** Fails every forecast still waiting for the scheduler: the client is closing. */
    void failOutstanding() {
        for (Map.Entry<CompletableFuture<ClientReply>, String> e : Map.copyOf(outstanding).entrySet()) {
            e.getKey().completeExceptionally(new CadreException("the Cadre client was closed before the scheduler"
                    + " answered; cannot forecast " + e.getValue()));
        }
    }

    private static StartEstimate estimate(ClientReply.ExpectedStart s, String reason) {
        return new StartEstimate(s.jobId(), s.start(), s.nodes(), s.cpus(), reason);
    }

    /** Why a pending job waits, from its record; a job not pending (or none) has no expected start. */
    static String waitReason(long jobId, int status, String body) throws CadreException {
        JsonNode answer = HeadRestApi.json(body);
        if (status == 404) {
            String detail = HeadRestApi.detail(answer);
            throw new NotPendingException(jobId, null, detail == null ? "job " + jobId + " does not exist" : detail);
        }
        if (status != 200) {
            throw HeadRestApi.failure("forecast the start of job " + jobId, status, answer);
        }
        JobState state = HeadRestApi.state(answer, "state");
        if (state == null) {
            throw new CadreException("cannot forecast the start of job " + jobId + ": the head's answer names no"
                    + " state this client knows");
        }
        if (state != JobState.PENDING) {
            throw new NotPendingException(jobId, state, "job " + jobId + " is " + state + ": only a pending job has"
                    + " an expected start");
        }
        return answer.path("reason").isTextual() ? answer.path("reason").asText() : null;
    }

    private CompletableFuture<ClientReply.StartForecast> ask(ClientRequest.ForecastStarts request, String what) {
        CompletableFuture<ClientReply> reply = new CompletableFuture<>();
        outstanding.put(reply, what);
        reply.whenComplete((r, e) -> outstanding.remove(reply));
        // Asking again is harmless (a forecast changes nothing): a send that fails fails the forecast at once.
        sends.send(MessageCodec.encode(request), reply, () -> true, e -> reply.completeExceptionally(
                new CadreException("cannot forecast " + what + ": could not send forecast-starts: " + e.getMessage(),
                        e)));
        return reply.handle((r, e) -> answer(what, replyTimeout, r, e));
    }

    /** The scheduler's answer to a forecast of {@code what}: the plan, or why there is none (a CompletionException). */
    static ClientReply.StartForecast answer(String what, Duration replyTimeout, ClientReply reply, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (cause instanceof TimeoutException) {
                cause = new CadreException("cannot forecast " + what + ": no answer from the scheduler within "
                        + replyTimeout + " (of its send, or of waiting to send it while the head is away)", cause);
            } else if (!(cause instanceof CadreException)) {
                cause = new CadreException("cannot forecast " + what + ": " + cause.getMessage(), cause);
            }
            throw new CompletionException(cause);
        }
        if (reply instanceof ClientReply.JobRejected r) {
            throw new CompletionException(new JobRejectedException(null, r.code(), r.reason(), r.field()));
        }
        if (!(reply instanceof ClientReply.StartForecast f)) {
            throw new CompletionException(new CadreException("cannot forecast " + what + ": unexpected reply "
                    + MessageCodec.typeName(reply)));
        }
        if (f.unavailable() != null) {
            throw new CompletionException(new ForecastUnavailableException(what, f.unavailable(), f.reason()));
        }
        if (f.reason() != null) {
            throw new CompletionException(new CadreException("cannot forecast " + what + ": " + f.reason()));
        }
        return f;
    }
}
