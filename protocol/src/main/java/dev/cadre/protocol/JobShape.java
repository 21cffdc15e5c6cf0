package dev.cadre.protocol;

/**
 * How many nodes and tasks a spec comes to, from -N, -n, --ntasks-per-node and the -w hosts: what
 * {@link JobSpec#nodeCount}, {@link JobSpec#taskCount} and {@link JobSpec#tasksOnBusiestNode} answer.
 */
final class JobShape {
    private JobShape() {
    }

    static int nodeCount(JobSpec spec) {
        if (spec.nodes() != null) {
            return spec.nodes();
        }
        int least = Math.max(1, spec.requiredHosts().size());
        if (spec.tasks() != null && spec.tasksPerNode() != null) {
            least = Math.max(least, (spec.tasks() + spec.tasksPerNode() - 1) / spec.tasksPerNode());
        }
        return least;
    }

    static int taskCount(JobSpec spec) {
        if (spec.tasks() != null) {
            return spec.tasks();
        }
        if (spec.tasksPerNode() == null) {
            return spec.nodeCount();
        }
        // The validator refuses a product past JobSpecValidator.MAX_TASKS; unvalidated, it must not wrap to a
        // negative count, and one too large for an int fits no cluster anyway.
        return (int) Math.min(Integer.MAX_VALUE, (long) spec.tasksPerNode() * spec.nodeCount());
    }

    static int tasksOnBusiestNode(JobSpec spec) {
        if (spec.tasksPerNode() != null) {
            return spec.tasksPerNode();
        }
        int nodes = spec.nodeCount();
        return (int) (((long) spec.taskCount() + nodes - 1) / nodes);
    }
}
