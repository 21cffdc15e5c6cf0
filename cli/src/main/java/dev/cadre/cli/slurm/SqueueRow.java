package dev.cadre.cli.slurm;

/**
 * One job as squeue shows it.
 *
 * @param stateCode compact state, e.g. "PD", "R", "CG"
 * @param state long state name, e.g. "PENDING", "RUNNING"
 * @param timeLimitSeconds null means no limit
 * @param nodeListOrReason the allocated nodes ("node[1-2]") or, for a job without nodes, the reason
 *     in parentheses ("(Resources)")
 */
public record SqueueRow(String jobId, String partition, String name, String user, String stateCode,
        String state, long elapsedSeconds, Long timeLimitSeconds, int nodes, int cpus,
        String nodeListOrReason) {
}
