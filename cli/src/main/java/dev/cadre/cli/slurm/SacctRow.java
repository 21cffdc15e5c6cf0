package dev.cadre.cli.slurm;

/**
 * One job or step as sacct shows it.
 *
 * @param state the state text as sacct prints it, e.g. "COMPLETED" or "CANCELLED by 1000"
 * @param exitCode the exit status of the job's script
 * @param signal the signal that ended it, 0 if none
 */
public record SacctRow(String jobId, String jobName, String partition, String account, int allocCpus,
        String state, int exitCode, int signal) {
}
