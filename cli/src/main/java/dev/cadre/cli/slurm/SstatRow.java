package dev.cadre.cli.slurm;

/**
 * A row of sstat: a Cadre job's batch step, its one task's figures joined over the nodes that answered, or with -i
 * one node's processes (every figure unknown).
 *
 * @param jobId the step as sstat names it, {@code 42.batch}
 * @param nodeList the nodes whose figures the row holds, as a Slurm host list
 * @param pids their processes, comma-separated; blank for none
 * @param ntasks 1, the batch step's one task; null on an -i row
 * @param cpuMicros user and system CPU time summed over the nodes, null when none knew it
 * @param cpuNode the node the task's CPU time is counted on (MinCPUNode): the first node, where the script runs
 * @param rss the most resident memory of a node, its peak or, where it keeps none, what it holds now (MaxRSS)
 * @param vmSize the most virtual memory the job's processes on one node have now (MaxVMSize)
 * @param diskRead the most bytes the job's processes on one node have read from storage (MaxDiskRead)
 * @param diskWrite the most bytes they have written to storage on one node (MaxDiskWrite)
 */
public record SstatRow(String jobId, String nodeList, String pids, Integer ntasks, Long cpuMicros, String cpuNode,
        Largest rss, Largest vmSize, Largest diskRead, Largest diskWrite) {

    /**
     * A figure's largest value over the nodes, and the node that has it (sstat's MaxRSSNode and its kin).
     *
     * @param bytes null when no node knew the figure
     * @param node null with it
     */
    public record Largest(Long bytes, String node) {
        /** No node knew the figure. */
        public static final Largest UNKNOWN = new Largest(null, null);
    }
}
