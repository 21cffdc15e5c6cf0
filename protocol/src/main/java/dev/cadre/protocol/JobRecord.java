package dev.cadre.protocol;

import java.time.Instant;

/**
 * A job as stored: its spec and where it stands. Attempt 0 means it has never been started.
 *
 * @param reason for PENDING, why it waits (Slurm's reason names); for an end state, why it ended
 * @param allocation the current attempt's nodes, null while pending
 * @param launchConfirmed the coordinator node reported the current attempt running
 */
public record JobRecord(
        long id,
        String submissionKey,
        JobSpec spec,
        JobState state,
        String reason,
        int attempt,
        Allocation allocation,
        boolean launchConfirmed,
        Integer exitCode,
        Integer signal,
        Instant submitTime,
        Instant startTime,
        Instant endTime) {

    public String name() {
        return spec.name();
    }

    public String user() {
        return spec.user();
    }

    public JobRecord withState(JobState newState, String newReason) {
        return new JobRecord(id, submissionKey, spec, newState, newReason, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime);
    }
}
