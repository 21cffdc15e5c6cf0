package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Fits within one pass, remembering the shapes that did not fit. Free resources only shrink during a pass, so
 * a job shaped like one that did not fit will not fit either; with a long queue of few shapes, most jobs are
 * then judged without looking at every node. Jobs that name or exclude hosts are always judged in full.
 */
final class ShapeMemo {
    /** @param memoryPerCpuMb what an exclusive job's nodes must have per CPU (NodeDemand), else null */
    record Shape(Integer nodes, int tasks, Integer tasksPerNode, int cpusPerTask, int gpusPerTask,
            Long memoryMb, boolean whole, Long memoryPerCpuMb, String gpuType, String partition) {
    }

    private final Set<Shape> failed = new HashSet<>();

    /** Where the job fits in what is left, or empty; the caller takes the allocation from left itself. */
    Optional<Allocation> fit(JobSpec spec, FreeResources left) {
        if (!mayFit(spec, left)) {
            return Optional.empty();
        }
        // Under advance reservations a job's time limit decides where it may go, and no shape says it.
        Shape shape = left.reserved().isEmpty() ? shape(spec) : null;
        if (shape != null && failed.contains(shape)) {
            return Optional.empty();
        }
        Optional<Allocation> fit = ResourceFit.fit(spec, left);
        if (fit.isEmpty() && shape != null) {
            failed.add(shape);
        }
        return fit;
    }

    /** False when the job asks more cores than all nodes have free together. */
    static boolean mayFit(JobSpec spec, FreeResources left) {
        return (long) spec.taskCount() * spec.cpusPerTaskOrOne() <= left.freeCores();
    }

    /**
     * The job's shape, or null when it names or excludes hosts, or names several partitions (whose MaxTime may admit
     * its limit in one and not another), and so must be judged in full.
     */
    static Shape shape(JobSpec spec) {
        if (spec.nodelist() != null || spec.exclude() != null
                || spec.partition() != null && spec.partition().indexOf(',') >= 0) {
            return null;
        }
        return new Shape(spec.nodes(), spec.taskCount(), spec.tasksPerNode(), spec.cpusPerTaskOrOne(),
                spec.gpusPerTaskOrZero(), spec.memoryMb(), spec.wholeNodes(),
                spec.wholeNodes() ? spec.memoryPerCpuMb() : null, spec.gpusPerTaskOrZero() > 0 ? spec.gpuType() : null,
                spec.partition());
    }
}
