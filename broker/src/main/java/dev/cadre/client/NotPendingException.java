package dev.cadre.client;

import dev.cadre.protocol.JobState;

/**
 * A job asked about with {@link CadreClient#expectedStart} has no expected start because it is not pending: it does
 * not exist ({@link #state()} null), or it has started or ended (its state named: its actual start is in its record,
 * {@code GET /api/jobs/ID}'s {@code startTime}, or sacct's). Asking again is refused alike, but for a job requeued
 * meanwhile.
 */
public final class NotPendingException extends CadreException {
    private final long jobId;
    private final JobState state;

    public NotPendingException(long jobId, JobState state, String detail) {
        super("cannot forecast the start of job " + jobId + ": " + detail);
        this.jobId = jobId;
        this.state = state;
    }

    public long jobId() {
        return jobId;
    }

    /** The job's state; null when there is no such job. */
    public JobState state() {
        return state;
    }
}
