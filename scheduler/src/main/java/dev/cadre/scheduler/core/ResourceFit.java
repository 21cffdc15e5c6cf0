package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How a job's tasks spread over nodes, and whether given free resources can hold them. Pure. */
public final class ResourceFit {
    private ResourceFit() {
    }

    /** Tasks on each of the job's nodes: spread evenly, the remainder on the first nodes (Slurm's block layout). */
    public static int[] tasksPerNode(JobSpec spec) {
        int nodes = spec.nodeCount();
        int tasks = spec.taskCount();
        int[] out = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            out[i] = tasks / nodes + (i < tasks % nodes ? 1 : 0);
        }
        return out;
    }

    /** First fit over the nodes in the map's order; empty when the job does not fit now. */
    public static Optional<Allocation> fit(JobSpec spec, Map<String, NodeCapacity> free) {
        int[] tasks = tasksPerNode(spec);
        int cpt = spec.cpusPerTaskOrOne();
        int gpt = spec.gpusPerTaskOrZero();
        long mem = spec.memoryMb() == null ? 0 : spec.memoryMb();
        List<Allocation.NodeSlots> chosen = new ArrayList<>();
        // Nodes are interchangeable here, so the largest per-node share goes first to keep first-fit simple.
        for (NodeCapacity node : free.values()) {
            if (chosen.size() == tasks.length) {
                break;
            }
            int t = tasks[chosen.size()];
            if (node.cores() >= t * cpt && node.gpus() >= t * gpt && node.memoryMb() >= mem) {
                chosen.add(new Allocation.NodeSlots(node.nodeId(), node.hostname(), t, t * cpt, t * gpt, mem));
            }
        }
        return chosen.size() == tasks.length ? Optional.of(new Allocation(chosen)) : Optional.empty();
    }

    /** Removes an allocation's resources from the free map. */
    public static void take(Map<String, NodeCapacity> free, Allocation allocation) {
        for (Allocation.NodeSlots s : allocation.nodes()) {
            free.computeIfPresent(s.nodeId(), (id, n) -> new NodeCapacity(id, n.hostname(), n.cores() - s.cpus(),
                    n.memoryMb() - s.memoryMb(), n.gpus() - s.gpus()));
        }
    }
}
