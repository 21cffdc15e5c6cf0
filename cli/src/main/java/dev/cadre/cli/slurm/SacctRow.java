package dev.cadre.cli.slurm;

import dev.cadre.protocol.ResourceUsage;
import java.time.Instant;

/**
 * One job, step or earlier run of a job (sacct -D) as sacct shows it. A null value prints blank.
 *
 * @param jobId Slurm's job id text: "12", "12_3" for an array task, "12.batch" for the batch step
 * @param jobIdRaw the job's own id, which an array task has too, with the step's suffix
 * @param state the state text as sacct prints it, e.g. "COMPLETED"
 * @param exitCode the exit status of the job's script
 * @param signal the signal that ended it, 0 if none
 * @param nodeList the hosts it ran on, compressed ("n[1-3]"), or sacct's "None assigned"
 * @param elapsedSeconds how long it ran, up to now while it runs
 * @param timelimitSeconds null for a step, which has no limit of its own
 * @param reqMemMb the memory the job asked for, all its nodes together (sacct's ReqMem), or null
 * @param usage what the run's processes used on the node of its script, as its attempt's record holds it (TotalCPU,
 *        UserCPU, SystemCPU; a job's CPU times are its batch step's, its only step); null when unknown
 * @param usageNode the node the batch step ran on, on the step's row only: its per-task figures (MaxRSS, MaxVMSize,
 *        MaxDiskRead, MaxDiskWrite, their averages, nodes and tasks, TRESUsage*: {@link SacctUsageColumns}) are a
 *        step's, which Slurm leaves blank on the job's own row
 * @param suspendedSeconds how long the run was suspended (sacct's Suspended), which elapsedSeconds leaves out
 */
public record SacctRow(String jobId, String jobIdRaw, String jobName, String partition, String account, String user,
        int allocCpus, int nnodes, Integer ntasks, String state, int exitCode, int signal, String nodeList,
        Instant submit, Instant eligible, Instant start, Instant end, long elapsedSeconds, String timelimit,
        String workDir, String reason, Long priority, Long reqMemMb, ResourceUsage usage, String usageNode,
        long suspendedSeconds) {

    /** A run that was never suspended. */
    public SacctRow(String jobId, String jobIdRaw, String jobName, String partition, String account, String user,
            int allocCpus, int nnodes, Integer ntasks, String state, int exitCode, int signal, String nodeList,
            Instant submit, Instant eligible, Instant start, Instant end, long elapsedSeconds, String timelimit,
            String workDir, String reason, Long priority, Long reqMemMb, ResourceUsage usage, String usageNode) {
        this(jobId, jobIdRaw, jobName, partition, account, user, allocCpus, nnodes, ntasks, state, exitCode, signal,
                nodeList, submit, eligible, start, end, elapsedSeconds, timelimit, workDir, reason, priority, reqMemMb,
                usage, usageNode, 0);
    }

    /** A row of the default fields only; what the format tests need. */
    public static SacctRow brief(String jobId, String jobName, String partition, String account, int allocCpus,
            String state, int exitCode, int signal) {
        return new SacctRow(jobId, jobId, jobName, partition, account, null, allocCpus, 1, null, state, exitCode,
                signal, null, null, null, null, null, 0, null, null, null, null, null, null, null);
    }

    /** This row with what its run used, and the step's node when it is a step's row. */
    public SacctRow withUsage(ResourceUsage used, String node) {
        return new SacctRow(jobId, jobIdRaw, jobName, partition, account, user, allocCpus, nnodes, ntasks, state,
                exitCode, signal, nodeList, submit, eligible, start, end, elapsedSeconds, timelimit, workDir, reason,
                priority, reqMemMb, used, node, suspendedSeconds);
    }
}
