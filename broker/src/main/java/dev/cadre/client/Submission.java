package dev.cadre.client;

import dev.cadre.protocol.JobSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One submitted job, seen from the client: first its acceptance (the job id), then its result. Cancelling
 * {@link #result()} cancels the job itself; if its id is not known yet, the cancel follows as soon as it is.
 *
 * <p>Both futures complete on the client's single event thread, in the order things happened. Callbacks that
 * block for long should use the {@code *Async} variants so that they do not hold up other jobs' results.
 */
public final class Submission {
    private final String submissionId;
    private final JobSpec spec;
    private final CompletableFuture<Long> accepted = new CompletableFuture<>();
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final Consumer<Long> cancelJob;
    private Long jobId;
    private boolean cancelWhenAccepted;
    /** Which round of asking the scheduler is current: a reconnect starts a new one, whose answers count alone. */
    private final AtomicInteger inquiry = new AtomicInteger();
    /** Why the latest send failed, if it did: told in the timeout, as the send may have arrived all the same. */
    private volatile Exception lastSendFailure;

    Submission(String submissionId, JobSpec spec, Consumer<Long> cancelJob) {
        this.submissionId = submissionId;
        this.spec = spec;
        this.cancelJob = cancelJob;
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                cancelled();
            }
        });
    }

    /** The id to resubmit with after a timeout or a reconnect: the scheduler then returns the same job. */
    public String submissionId() {
        return submissionId;
    }

    /** The spec as sent, with the user filled in. */
    public JobSpec spec() {
        return spec;
    }

    /** The job id once the scheduler has stored the job; fails with {@link JobRejectedException} if refused. */
    public CompletableFuture<Long> accepted() {
        return accepted;
    }

    /**
     * The job's end: COMPLETED, FAILED (with its exit code), CANCELLED, TIMEOUT, NODE_FAIL, DEADLINE or
     * OUT_OF_MEMORY (its error names the memory it used). For a job array it
     * fails once the array is accepted, as no single end stands for tasks that end one by one.
     */
    public CompletableFuture<JobResult> result() {
        return result;
    }

    private void cancelled() {
        Long id;
        synchronized (this) {
            id = jobId;
            cancelWhenAccepted = id == null;
        }
        if (id != null) {
            cancelJob.accept(id);
        }
    }

    void acceptedAs(long id) {
        boolean cancel;
        synchronized (this) {
            jobId = id;
            cancel = cancelWhenAccepted;
            cancelWhenAccepted = false;
        }
        // The cancel is queued before the acceptance shows: close() waits for acceptances, then for queued sends.
        if (cancel) {
            cancelJob.accept(id);
        }
        accepted.complete(id);
    }

    /** Whether its result was cancelled before its job's id was known: the cancel goes out with the acceptance. */
    synchronized boolean cancelWaitsForId() {
        return cancelWhenAccepted;
    }

    void finish(JobResult r) {
        result.complete(r);
    }

    void fail(Throwable e) {
        accepted.completeExceptionally(e);
        result.completeExceptionally(e);
    }

    int inquiry() {
        return inquiry.get();
    }

    int newInquiry() {
        return inquiry.incrementAndGet();
    }

    /** A send failed: the outcome is unknown (the broker may have it), so the submission stays open. */
    void sendFailed(Exception e) {
        lastSendFailure = e;
    }

    Exception lastSendFailure() {
        return lastSendFailure;
    }

    /**
     * Whether a send of it still has a use: its result is open, or its acceptance is (a result cancelled before the
     * acceptance still submits, and the cancel follows once the job's id is known).
     */
    boolean awaitsAnswer() {
        return !result.isDone() || !accepted.isDone();
    }
}
