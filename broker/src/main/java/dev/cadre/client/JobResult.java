package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
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
 * @param state a terminal state: COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL or OUT_OF_MEMORY
 * @param exitCode the job's exit code (0 also when a signal killed it), or null when it never ran
 * @param signal the number of the signal that killed it, 0 when it exited normally, or null when it never ran
 * @param reason why it ended as it did (such as a node failure), or null
 * @param time when it ended, or null when only the acceptance of a resubmission told us
 */
public record JobResult(long jobId, JobState state, Integer exitCode, Integer signal, String reason, Instant time) {

    public boolean succeeded() {
        return state == JobState.COMPLETED;
    }

    /** Whether a signal ended the job (its {@link #signal()} is set and not 0); its exit code then says nothing. */
    public boolean killedBySignal() {
        return signal != null && signal != 0;
    }

    static JobResult of(JobEvent.JobStateChanged e) {
        return new JobResult(e.jobId(), e.state(), e.exitCode(), e.signal(), e.reason(), e.time());
    }

    static JobResult of(ClientReply.JobAccepted a) {
        return new JobResult(a.jobId(), a.state(), a.exitCode(), a.signal(), null, null);
    }
}
