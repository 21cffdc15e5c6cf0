package dev.cadre.client;

import dev.cadre.protocol.JobState;

/**
 * The head would not read a job's usage ({@link CadreClient#usage}): the job does not exist (404), is not running
 * (409, with its {@link #state()}: a finished job's figures are in its attempts, as sacct shows them), or the node
 * that runs its script is down (503). Asking again is safe; for a job that is not running it is refused again.
 */
public final class UsageRefusedException extends CadreException {
    private final long jobId;
    private final int status;
    private final JobState state;

    public UsageRefusedException(long jobId, int status, String detail, JobState state) {
        super("cannot read the usage of job " + jobId + ": " + detail);
        this.jobId = jobId;
        this.status = status;
        this.state = state;
    }

    public long jobId() {
        return jobId;
    }

    /** The REST API's HTTP status. */
    public int status() {
        return status;
    }

    /** The job's state when it is not running; else null. */
    public JobState state() {
        return state;
    }
}
