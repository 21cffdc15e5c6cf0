package dev.cadre.protocol;

/** What the scheduler sends to a node-runner's own queue. */
public sealed interface NodeCommand extends Message {
    long jobId();

    int attempt();

    /**
     * Run one attempt of a job; sent to the allocation's coordinator node.
     *
     * @param execToken job-scoped secret that remote exec requests of this attempt must carry
     * @param array the job's array and task id when it is an array task, else null
     */
    record PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken,
            ArrayPart array) implements NodeCommand {
        /** A job outside any array. */
        public PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken) {
            this(jobId, attempt, spec, allocation, execToken, null);
        }
    }

    /**
     * Stop an attempt: SIGTERM to its process group, then SIGKILL after the grace period.
     *
     * @param reason why: CANCELLED, TIMEOUT, REQUEUED (scontrol requeue) or NODE_FAIL (another node of the job failed)
     */
    record KillJob(long jobId, int attempt, JobState reason) implements NodeCommand {
    }

    /**
     * Send a signal to a running attempt (scancel --signal), to its coordinator: the batch script alone with
     * batchOnly, else every process of the job.
     *
     * @param signal a signal name without SIG (USR1) or a number from 1 to 64
     */
    record SignalAttempt(long jobId, int attempt, String signal, boolean batchOnly) implements NodeCommand {
    }
}
