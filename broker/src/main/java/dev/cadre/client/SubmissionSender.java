package dev.cadre.client;

import dev.cadre.broker.RequestClient;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends submissions, one per submit-job or many per submit-jobs, and turns the answers into the submissions'
 * futures. Answers are handled on the client's event thread; an unanswered submission is sent again alone with
 * the same id, which returns the same job.
 */
final class SubmissionSender {
    private final RequestClient requests;
    private final Executor events;
    private final ClientSettings settings;
    private final PendingResults pending;
    private final Consumer<Long> cancelJob;
    private final BooleanSupplier closed;
    private final Set<Submission> live = ConcurrentHashMap.newKeySet();

    SubmissionSender(RequestClient requests, Executor events, ClientSettings settings, PendingResults pending,
            Consumer<Long> cancelJob, BooleanSupplier closed) {
        this.requests = requests;
        this.events = events;
        this.settings = settings;
        this.pending = pending;
        this.cancelJob = cancelJob;
        this.closed = closed;
    }

    Submission submit(JobSpec spec, String submissionId) throws CadreException {
        Submission s = prepare(spec, submissionId);
        try {
            send(s, 1, s.inquiry());
        } catch (JMSException e) {
            CadreException failure = new CadreException("could not send submission " + submissionId + ": "
                    + e.getMessage(), e);
            s.fail(failure);
            throw failure;
        }
        return s;
    }

    List<Submission> submitAll(List<JobSpec> specs, List<String> submissionIds) throws CadreException {
        List<Submission> all = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            all.add(prepare(specs.get(i), submissionIds.get(i)));
        }
        for (SubmissionBatches.Batch batch : SubmissionBatches.of(all)) {
            try {
                requests.send(batch.body()).orTimeout(replyMillis(), TimeUnit.MILLISECONDS)
                        .whenCompleteAsync((reply, error) -> repliedToBatch(batch, reply, error), events);
            } catch (JMSException e) {
                // The batches before this one were sent and go on; this one and the rest were not.
                int first = all.indexOf(batch.submissions().get(0));
                BatchNotSentException failure = new BatchNotSentException(all, first, e);
                all.subList(first, all.size()).forEach(s -> s.fail(failure));
                throw failure;
            }
        }
        return all;
    }

    /** Submissions not ended yet, for a resend after a reconnect or a failure at close. */
    List<Submission> live() {
        return List.copyOf(live);
    }

    /**
     * Asks again about a submission after a reconnect, with the full number of sends: its events may have been lost,
     * and the answer carries the job's current state. Any earlier inquiry's timeouts are then ignored.
     */
    void askAgain(Submission s) {
        resend(s, 1, s.newInquiry());
    }

    private void resend(Submission s, int attempt, int inquiry) {
        try {
            send(s, attempt, inquiry);
        } catch (JMSException e) {
            // Also when accepted: nothing else would ever end its result.
            s.fail(new CadreException("could not send submission " + s.submissionId() + " again: "
                    + e.getMessage(), e));
        }
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
        s.result().whenComplete((r, e) -> live.remove(s));
        if (closed.getAsBoolean()) {
            // close() may have failed the live submissions just before this one joined them.
            s.fail(closedBeforeEnd(s));
            throw new CadreException("the Cadre client is closed");
        }
        return s;
    }

    private void send(Submission s, int attempt, int inquiry) throws JMSException {
        requests.send(new ClientRequest.SubmitJob(s.submissionId(), s.spec()))
                .orTimeout(replyMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((reply, error) -> replied(s, reply, error, attempt, inquiry), events);
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
        if (closed.getAsBoolean()) {
            s.fail(closedBeforeEnd(s));
            return;
        }
        if (error != null) {
            if (inquiry != s.inquiry()) {
                return;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof TimeoutException && attempt < settings.sendAttempts()) {
                resend(s, attempt + 1, inquiry);
            } else {
                // Accepted or not: an accepted job whose events were lost in a reconnect has no other way to end.
                s.fail(cause instanceof TimeoutException
                        ? new ReplyTimeoutException(s.submissionId(), "no answer from the scheduler after "
                                + attempt + " sends of submission " + s.submissionId() + ", " + settings.replyTimeout()
                                + " each; submit again with the same submission id to get the same job")
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

    private long replyMillis() {
        return settings.replyTimeout().toMillis();
    }
}
