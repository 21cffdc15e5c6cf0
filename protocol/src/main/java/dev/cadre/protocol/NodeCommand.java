package dev.cadre.protocol;

/** What the scheduler sends to a node-runner's own queue. */
public sealed interface NodeCommand extends Message {
    long jobId();

    int attempt();

    /**
     * Run one attempt of a job; sent to the allocation's coordinator node.
     *
     * @param execToken job-scoped secret that remote exec requests of this attempt must carry
     */
    record PlaceJob(long jobId, int attempt, JobSpec spec, Allocation allocation, String execToken)
            implements NodeCommand {
    }

    /**
     * Stop an attempt: SIGTERM to its process group, then SIGKILL after the grace period.
     *
     * @param reason the state the job ends in: CANCELLED or TIMEOUT
     */
    record KillJob(long jobId, int attempt, JobState reason) implements NodeCommand {
    }
}
