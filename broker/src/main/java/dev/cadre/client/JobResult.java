package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;

/**
 * How a job ended.
 *
 * @param state a terminal state
 * @param exitCode the job's exit code, or null when it never ran or was killed by a signal
 * @param signal the signal that ended it, or null
 * @param reason why it ended as it did (such as a node failure), or null
 * @param time when it ended, or null when only the acceptance of a resubmission told us
 */
public record JobResult(long jobId, JobState state, Integer exitCode, Integer signal, String reason, Instant time) {

    public boolean succeeded() {
        return state == JobState.COMPLETED;
    }

    static JobResult of(JobEvent.JobStateChanged e) {
        return new JobResult(e.jobId(), e.state(), e.exitCode(), e.signal(), e.reason(), e.time());
    }

    static JobResult of(ClientReply.JobAccepted a) {
        return new JobResult(a.jobId(), a.state(), a.exitCode(), a.signal(), null, null);
    }
}
