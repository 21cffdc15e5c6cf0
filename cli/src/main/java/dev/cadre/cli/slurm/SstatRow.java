package dev.cadre.cli.slurm;

/**
 * A row of sstat: a Cadre job's batch step, its one task's figures joined over the nodes that answered, or with -i
 * one node's processes (every figure null).
 *
 * @param jobId the step as sstat names it, {@code 42.batch}
 * @param nodeList the nodes whose figures the row holds, as a Slurm host list
 * @param pids their processes, comma-separated; blank for none
 * @param ntasks 1, the batch step's one task; null on an -i row
 * @param cpuMicros user and system CPU time summed over the nodes, null when none knew it
 * @param cpuNode the node the task's CPU time is counted on (MinCPUNode): the first node, where the script runs
 * @param rssBytes the most resident memory of a node, its peak or, where it keeps none, what it holds now; null when
 *        no node knew
 * @param rssNode the node of {@code rssBytes} (MaxRSSNode)
 */
public record SstatRow(String jobId, String nodeList, String pids, Integer ntasks, Long cpuMicros, String cpuNode,
        Long rssBytes, String rssNode) {
}
