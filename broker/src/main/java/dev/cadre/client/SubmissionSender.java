package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends submissions, one per submit-job or many per submit-jobs, and turns the answers into the submissions'
 * futures. Sends go through the client's {@link SendThread}, so submitting never waits for the broker; answers are
 * handled on the client's event thread. Each send has {@code replyTimeout} from the moment it is sent (see
 * {@link SendThread}). A send that fails is not an answer: the broker may have the request all the same, so the submission
 * stays, and when its time is up it is sent again alone with the same id, which returns the same job. It fails with
 * {@link ReplyTimeoutException} only after {@code sendAttempts} such rounds.
 */
final class SubmissionSender {
    private final SendThread sends;
    private final Executor events;
    private final ClientSettings settings;
    private final PendingResults pending;
    private final Consumer<Long> cancelJob;
    private final BooleanSupplier closed;
    private final Set<Submission> live = ConcurrentHashMap.newKeySet();

    SubmissionSender(SendThread sends, Executor events, ClientSettings settings, PendingResults pending,
            Consumer<Long> cancelJob, BooleanSupplier closed) {
        this.sends = sends;
        this.events = events;
        this.settings = settings;
        this.pending = pending;
        this.cancelJob = cancelJob;
        this.closed = closed;
    }

    Submission submit(JobSpec spec, String submissionId) throws CadreException {
        Submission s = prepare(spec, submissionId);
        send(s, 1, s.inquiry());
        return s;
    }

    List<Submission> submitAll(List<JobSpec> specs, List<String> submissionIds) throws CadreException {
        List<Submission> all = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            all.add(prepare(specs.get(i), submissionIds.get(i)));
        }
        for (SubmissionBatches.Batch batch : SubmissionBatches.of(all)) {
            if (refusedUnsent(batch.submissions().get(0), batch.body())) {
                continue;
            }
            CompletableFuture<ClientReply> reply = new CompletableFuture<>();
            sends.send(batch.body(), reply, () -> batch.submissions().stream().anyMatch(Submission::awaitsAnswer),
                    e -> batch.submissions().forEach(s -> s.sendFailed(e)));
            reply.whenCompleteAsync((answer, error) -> repliedToBatch(batch, answer, error), events);
        }
        return all;
    }

    /**
     * Submissions not ended yet, for a resend after a reconnect or a failure at close; one whose result was cancelled
     * before its acceptance stays until the acceptance, after which its cancel goes out.
     */
    List<Submission> live() {
        return List.copyOf(live);
    }

    /**
     * At close: fails every live submission but those whose result was cancelled before their job's id was known,
     * and returns when those are accepted (their cancels are then queued).
     */
    CompletableFuture<Void> failAllButCancelsAwaitingIds() {
        List<CompletableFuture<Long>> awaiting = new ArrayList<>();
        for (Submission s : live()) {
            if (s.cancelWaitsForId()) {
                awaiting.add(s.accepted());
            } else {
                s.fail(closedBeforeEnd(s));
            }
        }
        return CompletableFuture.allOf(awaiting.toArray(CompletableFuture[]::new));
    }

    void failAll() {
        live().forEach(s -> s.fail(closedBeforeEnd(s)));
    }

    /**
     * Asks again about a submission after a reconnect, with the full number of sends: its events may have been lost,
     * and the answer carries the job's current state. Any earlier inquiry's timeouts are then ignored.
     */
    void askAgain(Submission s) {
        send(s, 1, s.newInquiry());
    }

    private Submission prepare(JobSpec spec, String submissionId) throws CadreException {
        Objects.requireNonNull(spec, "spec");
        if (submissionId == null || submissionId.isBlank()) {
            throw new IllegalArgumentException("submissionId must not be blank");
        }
        JobSpec withUser = spec.user() == null ? spec.toBuilder().user(settings.user()).build() : spec;
        if (!withUser.user().equals(settings.user())) {
            throw new IllegalArgumentException("the spec's user is '" + withUser.user() + "' but this client follows"
                    + " the jobs of '" + settings.user() + "'; connect with ClientSettings.withUser");
        }
        Submission s = new Submission(submissionId, withUser, cancelJob);
        live.add(s);
        CompletableFuture.allOf(s.accepted(), s.result()).whenComplete((r, e) -> live.remove(s));
        if (closed.getAsBoolean()) {
            // close() may have failed the live submissions just before this one joined them.
            s.fail(closedBeforeEnd(s));
            throw new CadreException("the Cadre client is closed");
        }
        return s;
    }

    private void send(Submission s, int attempt, int inquiry) {
        String body = MessageCodec.encode(new ClientRequest.SubmitJob(s.submissionId(), s.spec()));
        if (refusedUnsent(s, body)) {
            return;
        }
        CompletableFuture<ClientReply> reply = new CompletableFuture<>();
        sends.send(body, reply,
                () -> s.awaitsAnswer() && s.inquiry() == inquiry, s::sendFailed);
        reply.whenCompleteAsync((answer, error) -> replied(s, answer, error, attempt, inquiry), events);
    }

    /**
     * A body the scheduler would refuse for its size is not sent: over the broker's own limit the send itself is
     * refused, and a refused send is retried as an unknown outcome until every attempt has timed out. The answer is
     * the scheduler's, at once (only a lone submission is ever too large: a batch is halved until it fits).
     */
    private boolean refusedUnsent(Submission s, String body) {
        if (body.length() <= MessageCodec.MAX_BYTES) {
            return false;
        }
        JobRejectedException e = new JobRejectedException(s.submissionId(), RejectionCode.TOO_LARGE,
                "message body is " + body.length() + " characters; the limit is " + MessageCodec.MAX_BYTES
                        + " (the script, environment and arguments take most of it)", null);
        events.execute(() -> s.fail(e));
        return true;
    }

    static CadreException closedBeforeEnd(Submission s) {
        return new CadreException("the Cadre client was closed before submission " + s.submissionId()
                + " ended; the job goes on, and submitting again with that id follows it");
    }

    /** A whole batch refused or unanswered is each entry's answer; later tries go one submission at a time. */
    private void repliedToBatch(SubmissionBatches.Batch batch, ClientReply reply, Throwable error) {
        List<Submission> entries = batch.submissions();
        if (reply instanceof ClientReply.JobsSubmitted answer && answer.results().size() == entries.size()) {
            for (int i = 0; i < entries.size(); i++) {
                replied(entries.get(i), answer.results().get(i), null, 1, entries.get(i).inquiry());
            }
            return;
        }
        Throwable cause = error;
        if (cause == null && reply instanceof ClientReply.JobsSubmitted answer) {
            cause = new IllegalStateException("the answer holds " + answer.results().size() + " results for "
                    + entries.size() + " submissions");
        }
        for (Submission s : entries) {
            replied(s, cause == null ? reply : null, cause, 1, s.inquiry());
        }
    }

    private void replied(Submission s, ClientReply reply, Throwable error, int attempt, int inquiry) {
        // After close only a cancel waiting for its job's id has a use for an answer: close() waits for that.
        if (closed.getAsBoolean() && !(reply instanceof ClientReply.JobAccepted && s.cancelWaitsForId())) {
            s.fail(closedBeforeEnd(s));
            return;
        }
        if (error != null) {
            if (inquiry != s.inquiry()) {
                return;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof TimeoutException && attempt < settings.sendAttempts()) {
                send(s, attempt + 1, inquiry);
            } else {
                // Accepted or not: an accepted job whose events were lost in a reconnect has no other way to end.
                s.fail(cause instanceof TimeoutException ? timedOut(s, attempt)
                        : new CadreException("no usable answer to submission " + s.submissionId() + ": "
                                + cause.getMessage(), cause));
            }
            return;
        }
        if (reply instanceof ClientReply.JobAccepted a) {
            s.acceptedAs(a.jobId());
            if (s.spec().array() != null) {
                s.fail(new CadreException("job " + a.jobId() + " is an array (--array=" + s.spec().array() + "):"
                        + " its tasks end one by one, under ids of their own, so no single result stands for it;"
                        + " follow them with CadreClient.watch or 'cadre sacct -j " + a.jobId() + "'"));
                return;
            }
            JobResult known = pending.accepted(s, a);
            if (known != null) {
                s.finish(known);
            }
        } else if (reply instanceof ClientReply.JobRejected r) {
            s.fail(new JobRejectedException(s.submissionId(), r.code(), r.reason(), r.field()));
        } else {
            s.fail(new CadreException("unexpected reply " + MessageCodec.typeName(reply) + " to submission "
                    + s.submissionId()));
        }
    }

    private ReplyTimeoutException timedOut(Submission s, int attempts) {
        Exception sendFailure = s.lastSendFailure();
        return new ReplyTimeoutException(s.submissionId(), "no answer from the scheduler to submission "
                + s.submissionId() + " after " + attempts + (attempts == 1 ? " send" : " sends") + ", "
                + settings.replyTimeout() + " each" + (sendFailure == null ? "" : " (the last send failed: "
                + sendFailure.getMessage() + ")") + "; the job may exist, and submitting again with submission id "
                + s.submissionId() + " is safe: it returns that job, or creates it once", sendFailure);
    }

}
