package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;

/**
 * What each of a job's tasks needs, and the memory every node of the job needs once.
 *
 * @param maxTasksPerNode --ntasks-per-node, or no limit
 */
record NodeDemand(int cpusPerTask, int gpusPerTask, long memoryMb, int maxTasksPerNode) {

    static NodeDemand of(JobSpec spec) {
        return new NodeDemand(spec.cpusPerTaskOrOne(), spec.gpusPerTaskOrZero(),
                spec.memoryMb() == null ? 0 : spec.memoryMb(),
                spec.tasksPerNode() == null ? Integer.MAX_VALUE : spec.tasksPerNode());
    }

    /** How many of the job's tasks fit in these resources; 0 when its memory does not. */
    int tasksOn(NodeCapacity n) {
        return tasksOn(n.cores(), n.memoryMb(), n.gpus());
    }

    /** How many of the job's tasks fit in these free cores, memory and GPUs; 0 when its memory does not. */
    int tasksOn(int cores, long freeMemoryMb, int gpus) {
        if (freeMemoryMb < memoryMb) {
            return 0;
        }
        // Most tasks take one core; a division costs more than the test.
        long tasks = Math.min(cpusPerTask == 1 ? cores : cores / cpusPerTask, maxTasksPerNode);
        if (gpusPerTask > 0) {
            tasks = Math.min(tasks, gpus / gpusPerTask);
        }
        return (int) Math.max(0, tasks);
    }
}
