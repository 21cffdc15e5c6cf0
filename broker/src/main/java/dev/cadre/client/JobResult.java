package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import java.time.Instant;

/**
 * How a job ended.
 *
 * <p>A job killed by a signal (SIGKILL, SIGSEGV; a cancel or time limit of a running job sends SIGTERM) comes back
 * with {@code exitCode} 0 and {@code signal} set, so test {@link #killedBySignal()} or {@link #succeeded()}, not the
 * exit code alone. A kill by the kernel's OOM killer looks like any SIGKILL (FAILED, signal 9); state OUT_OF_MEMORY
 * means Cadre's node killed the job for using more memory than it asked for.
 *
 * @param state a terminal state: COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY or DEADLINE (never
 *        started: it could no longer end by its deadline)
 * @param exitCode the job's exit code (0 also when a signal killed it), or null when it never ran
 * @param signal the number of the signal that killed it, 0 when it exited normally, or null when it never ran
 * @param reason why it ended as it did (such as a node failure), or null
 * @param time when it ended, or null when only the acceptance of a resubmission told us
 * @param cancelledBy for a CANCELLED job, the user whose cancel ended it ({@code scancel}, {@link CadreClient#cancel}
 *        or another client's; sacct's {@code CANCELLED by}); null when the scheduler ended it on its own (a
 *        dependency never satisfied), when the cancel named nobody, for every other ending, and when only the
 *        acceptance of a resubmission or an older head's event told us. A user name: events naming anything else
 *        are refused on arrival
 */
public record JobResult(long jobId, JobState state, Integer exitCode, Integer signal, String reason, Instant time,
        String cancelledBy) {

    public JobResult {
        // As the event it comes from: what a caller prints from it is a name, not a line break or terminal escape.
        if (cancelledBy != null && !JobSpecValidator.isUserName(cancelledBy)) {
            throw new IllegalArgumentException("cancelledBy " + JobSpecValidator.USER_RULE + " (at most 64)");
        }
    }

    /** A result that names no canceller. */
    public JobResult(long jobId, JobState state, Integer exitCode, Integer signal, String reason, Instant time) {
        this(jobId, state, exitCode, signal, reason, time, null);
    }

    public boolean succeeded() {
        return state == JobState.COMPLETED;
    }

    /** Whether a signal ended the job (its {@link #signal()} is set and not 0); its exit code then says nothing. */
    public boolean killedBySignal() {
        return signal != null && signal != 0;
    }

    static JobResult of(JobEvent.JobStateChanged e) {
        return new JobResult(e.jobId(), e.state(), e.exitCode(), e.signal(), e.reason(), e.time(), e.cancelledBy());
    }

    static JobResult of(ClientReply.JobAccepted a) {
        // job-accepted does not say who cancelled an ended job: the REST API's job view and sacct do.
        return new JobResult(a.jobId(), a.state(), a.exitCode(), a.signal(), null, null, null);
    }
}
