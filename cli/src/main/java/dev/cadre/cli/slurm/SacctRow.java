package dev.cadre.cli.slurm;

/**
 * One job, step or earlier run of a job (sacct -D) as sacct shows it.
 *
 * @param jobId Slurm's job id text, "12_3" for an array task
 * @param jobIdRaw the job's own id, which an array task has too
 * @param state the state text as sacct prints it, e.g. "COMPLETED" or "CANCELLED by 1000"
 * @param exitCode the exit status of the job's script
 * @param signal the signal that ended it, 0 if none
 * @param nodeList the hosts it ran on, or sacct's "None assigned"
 * @param start when it started, as sacct prints it ("Unknown" if it has not)
 * @param end when it ended, as sacct prints it
 */
public record SacctRow(String jobId, String jobIdRaw, String jobName, String partition, String account, int allocCpus,
        String state, int exitCode, int signal, String nodeList, String start, String end) {

    /** A row without the times and hosts, for the fields that do not show them. */
    public SacctRow(String jobId, String jobName, String partition, String account, int allocCpus, String state,
            int exitCode, int signal) {
        this(jobId, jobId, jobName, partition, account, allocCpus, state, exitCode, signal, null, null, null);
    }
}
