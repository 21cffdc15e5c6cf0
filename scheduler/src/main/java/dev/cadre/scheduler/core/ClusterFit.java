package dev.cadre.scheduler.core;

import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator.Problem;
import dev.cadre.protocol.RejectionCode;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a job could ever run on the cluster's nodes, judged with every node idle; if not, which field asks
 * too much and why, in the words a user can act on. A job refused here would otherwise wait forever and, under
 * first come first served, hold up every job behind it.
 */
public final class ClusterFit {
    private static final int MAX_SHOWN = 200;

    private ClusterFit() {
    }

    /**
     * Empty when the job fits; else the field at fault and why, with the code a refused submission is answered
     * with: a host that is no node, or too much asked.
     *
     * @param known every known node's full resources
     */
    public static Optional<Refusal> refusal(JobSpec spec, Collection<NodeCapacity> known) {
        if (ResourceFit.fit(spec, FreeResources.idle(known)).isPresent()) {
            return Optional.empty();
        }
        for (String host : spec.requiredHosts()) {
            if (known.stream().noneMatch(n -> n.named(host))) {
                return Optional.of(new Refusal(RejectionCode.UNKNOWN_NODE, new Problem("spec.nodelist", "names "
                        + host + ", which is not a known node; the known nodes are "
                        + shown(HostList.compress(known.stream().map(NodeCapacity::hostname).toList())))));
            }
        }
        return Optional.of(new Refusal(RejectionCode.UNSATISFIABLE, explain(spec, known)));
    }

    private static Problem explain(JobSpec spec, Collection<NodeCapacity> known) {
        Set<String> excluded = new HashSet<>(spec.excludedHosts());
        List<NodeCapacity> usable = known.stream().filter(n -> !n.namedIn(excluded)).toList();
        if (usable.isEmpty()) {
            return new Problem("spec.exclude", "leaves no node: it names every known node");
        }
        NodeDemand demand = NodeDemand.of(spec);
        int cores = usable.stream().mapToInt(NodeCapacity::cores).max().orElse(0);
        if (demand.cpusPerTask() > cores) {
            return new Problem("spec.cpusPerTask", "asks " + demand.cpusPerTask() + " CPUs per task; the largest"
                    + " node has " + cores);
        }
        int gpus = usable.stream().mapToInt(n -> n.gpusOf(demand.gpuType())).max().orElse(0);
        if (demand.gpuType() != null && gpus == 0) {
            return new Problem("spec.gpuType", "asks for " + demand.gpuType() + " GPUs; no node has any (the nodes'"
                    + " GPU types: " + usable.stream().flatMap(n -> n.gpuTypes().keySet().stream()).distinct()
                    .sorted().toList() + ")");
        }
        if (demand.gpusPerTask() > gpus) {
            String type = demand.gpuType() == null ? "" : demand.gpuType() + " ";
            return new Problem("spec.gpusPerTask", "asks " + demand.gpusPerTask() + " " + type + "GPUs per task;"
                    + " the largest node has " + gpus);
        }
        long memory = usable.stream().mapToLong(NodeCapacity::memoryMb).max().orElse(0);
        if (demand.memoryMb() > memory) {
            return new Problem("spec.memoryMb", "asks " + demand.memoryMb() + " MB per node; the largest node has "
                    + memory);
        }
        if (usable.stream().noneMatch(n -> demand.memoryForEveryCpu(n.cores(), n.memoryMb()))) {
            return new Problem("spec.memoryPerCpuMb", "asks " + demand.memoryPerNodeCpuMb() + " MB per CPU of an"
                    + " exclusive job, which has every CPU of its nodes; no node has that much for each of its CPUs"
                    + " (the most any has is " + usable.stream().mapToLong(n -> n.memoryMb() / Math.max(1, n.cores()))
                    .max().orElse(0) + " MB per CPU)");
        }
        List<NodeCapacity> able = usable.stream().filter(n -> demand.tasksOn(n) > 0).toList();
        if (able.isEmpty()) {
            return new Problem("spec.cpusPerTask", "no node has " + demand.cpusPerTask() + " CPUs, "
                    + demand.gpusPerTask() + " GPUs and " + demand.memoryMb() + " MB at once for one task");
        }
        for (String host : spec.requiredHosts()) {
            if (able.stream().noneMatch(n -> n.named(host))) {
                return new Problem("spec.nodelist", "names " + host + ", which cannot hold one task of "
                        + demand.cpusPerTask() + " CPUs, " + demand.gpusPerTask() + " GPUs and "
                        + demand.memoryMb() + " MB");
            }
        }
        int tasks = spec.taskCount();
        String others = usable.size() < known.size() ? " (" + (known.size() - usable.size()) + " excluded)" : "";
        if (spec.nodes() != null) {
            if (able.size() < spec.nodes()) {
                return new Problem("spec.nodes", "asks " + spec.nodes() + " nodes; " + able.size() + " of the "
                        + known.size() + " known nodes" + others + " can hold a task");
            }
            int perNode = (tasks + spec.nodes() - 1) / spec.nodes();
            return new Problem("spec.tasks", "spreads " + tasks + " tasks over " + spec.nodes() + " nodes, up to "
                    + perNode + " per node at " + demand.cpusPerTask() + " CPUs each; too few known nodes"
                    + others + " hold that many");
        }
        if (able.size() < spec.nodeCount()) {
            return new Problem("spec.tasksPerNode", "needs " + spec.nodeCount() + " nodes for " + tasks
                    + " tasks; " + able.size() + " of the " + known.size() + " known nodes" + others
                    + " can hold a task");
        }
        long room = able.stream().mapToLong(demand::tasksOn).sum();
        if (room < tasks) {
            return new Problem("spec.tasks", "asks " + tasks + " tasks of " + demand.cpusPerTask() + " CPUs each;"
                    + " the known nodes" + others + " hold at most " + room + " at once");
        }
        return new Problem("spec", "cannot be placed on the known nodes" + others + " with its nodelist");
    }

    private static String shown(String text) {
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "..." : text;
    }
}
