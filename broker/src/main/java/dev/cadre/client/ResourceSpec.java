package dev.cadre.client;

import dev.cadre.protocol.JobSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one job asks for, with the keys of Parsl's FluxExecutor resource specification and Flux's rules for
 * them: at least one task and one core per task, no GPUs unless asked, and never more nodes than tasks.
 *
 * @param numTasks num_tasks: tasks (MPI ranks for an MPI job), default 1
 * @param coresPerTask cores_per_task: default 1
 * @param gpusPerTask gpus_per_task: default 0
 * @param numNodes num_nodes: spread the tasks over this many nodes, or null to let the scheduler choose
 */
public record ResourceSpec(int numTasks, int coresPerTask, int gpusPerTask, Integer numNodes) {
    /** The accepted keys, in the order the messages list them. */
    public static final List<String> KEYS = List.of("num_tasks", "cores_per_task", "gpus_per_task", "num_nodes");
    public static final ResourceSpec DEFAULT = new ResourceSpec(1, 1, 0, null);

    public ResourceSpec {
        if (numTasks < 1) {
            throw new IllegalArgumentException("task count must be an integer >= 1, not " + numTasks);
        }
        if (coresPerTask < 1) {
            throw new IllegalArgumentException("cores per task must be an integer >= 1, not " + coresPerTask);
        }
        if (gpusPerTask < 0) {
            throw new IllegalArgumentException("gpus per task must be an integer >= 0, not " + gpusPerTask);
        }
        if (numNodes != null && numNodes < 1) {
            throw new IllegalArgumentException("node count must be an integer >= 1 (if set), not " + numNodes);
        }
        if (numNodes != null && numNodes > numTasks) {
            throw new IllegalArgumentException("node count must not be greater than task count (" + numNodes
                    + " nodes, " + numTasks + " tasks)");
        }
    }

    /**
     * Reads a Parsl-style resource specification. Null or an empty map gives the defaults; a key outside
     * {@link #KEYS}, a value that is not a whole number, or one out of range is refused with a message naming it.
     * num_nodes and gpus_per_task may be null (not set), as in Parsl.
     */
    public static ResourceSpec fromMap(Map<String, ?> spec) {
        if (spec == null || spec.isEmpty()) {
            return DEFAULT;
        }
        TreeSet<String> unknown = new TreeSet<>(spec.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Invalid resource specification options supplied: " + unknown
                    + "; the accepted keys are " + String.join(", ", KEYS));
        }
        Integer tasks = whole(spec, "num_tasks", false);
        Integer cores = whole(spec, "cores_per_task", false);
        Integer gpus = whole(spec, "gpus_per_task", true);
        return new ResourceSpec(tasks == null ? 1 : tasks, cores == null ? 1 : cores, gpus == null ? 0 : gpus,
                whole(spec, "num_nodes", true));
    }

    private static Integer whole(Map<String, ?> spec, String key, boolean nullable) {
        if (!spec.containsKey(key)) {
            return null;
        }
        Object v = spec.get(key);
        if (v == null && nullable) {
            return null;
        }
        // Booleans and fractions are refused even where Python would coerce them: they are always a mistake here.
        boolean integral = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
        if (!integral || ((Number) v).longValue() != ((Number) v).intValue()) {
            throw new IllegalArgumentException("resource specification '" + key + "' must be an integer, not "
                    + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
        }
        return ((Number) v).intValue();
    }

    /** Sets the spec's tasks, cores and GPUs per task, and nodes. */
    public JobSpec.Builder applyTo(JobSpec.Builder b) {
        return b.tasks(numTasks).cpusPerTask(coresPerTask).gpusPerTask(gpusPerTask == 0 ? null : gpusPerTask)
                .nodes(numNodes);
    }
}
