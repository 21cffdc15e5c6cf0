package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;

/**
 * What each of a job's tasks needs, and the memory every node of the job needs once.
 *
 * @param maxTasksPerNode --ntasks-per-node, or no limit
 * @param memoryPerNodeCpuMb for an exclusive job asking memory per CPU (--exclusive --mem-per-cpu), that figure:
 *        such a job has every CPU of its nodes, and so that much memory for each of them (as Slurm gives it, and
 *        as the node limits it: MemoryLimit), which a node must have; 0 otherwise
 * @param gpuType the type its GPUs must be of; null for any ({@link TypedGpus})
 */
record NodeDemand(int cpusPerTask, int gpusPerTask, long memoryMb, int maxTasksPerNode, long memoryPerNodeCpuMb,
        String gpuType) {

    static NodeDemand of(JobSpec spec) {
        return new NodeDemand(spec.cpusPerTaskOrOne(), spec.gpusPerTaskOrZero(),
                spec.memoryMb() == null ? 0 : spec.memoryMb(),
                spec.tasksPerNode() == null ? Integer.MAX_VALUE : spec.tasksPerNode(),
                spec.wholeNodes() && spec.memoryPerCpuMb() != null ? spec.memoryPerCpuMb() : 0,
                spec.gpusPerTaskOrZero() > 0 ? spec.gpuType() : null);
    }

    /** How many of the job's tasks fit in these resources; 0 when its memory does not. */
    int tasksOn(NodeCapacity n) {
        return tasksOn(n.cores(), n.memoryMb(), n.gpusOf(gpuType));
    }

    /**
     * How many of the job's tasks fit in these free cores, memory and GPUs; 0 when its memory does not. (An exclusive
     * job is only ever fitted into a whole idle node, so for it these are the node's own.)
     */
    int tasksOn(int cores, long freeMemoryMb, int gpus) {
        if (freeMemoryMb < memoryMb || !memoryForEveryCpu(cores, freeMemoryMb)) {
            return 0;
        }
        // Most tasks take one core; a division costs more than the test.
        long tasks = Math.min(cpusPerTask == 1 ? cores : cores / cpusPerTask, maxTasksPerNode);
        if (gpusPerTask > 0) {
            tasks = Math.min(tasks, gpus / gpusPerTask);
        }
        return (int) Math.max(0, tasks);
    }

    /** Whether a node of this many cores and this much memory gives an exclusive per-CPU job its memory. */
    boolean memoryForEveryCpu(int cores, long memoryMb) {
        // memoryMb >= perCpu * cores, without the product, which may pass a long.
        return memoryPerNodeCpuMb == 0 || cores <= 0 || memoryMb / cores >= memoryPerNodeCpuMb;
    }
}
