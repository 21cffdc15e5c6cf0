package dev.cadre.cli.slurm;

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
 */
public record SacctRow(String jobId, String jobIdRaw, String jobName, String partition, String account, String user,
        int allocCpus, int nnodes, Integer ntasks, String state, int exitCode, int signal, String nodeList,
        Instant submit, Instant eligible, Instant start, Instant end, long elapsedSeconds, String timelimit,
        String workDir, String reason, Long priority, Long reqMemMb) {

    /** A row of the default fields only; what the format tests need. */
    public static SacctRow brief(String jobId, String jobName, String partition, String account, int allocCpus,
            String state, int exitCode, int signal) {
        return new SacctRow(jobId, jobId, jobName, partition, account, null, allocCpus, 1, null, state, exitCode,
                signal, null, null, null, null, null, 0, null, null, null, null, null);
    }
}
