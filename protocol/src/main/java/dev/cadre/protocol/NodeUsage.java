package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the jobs holding a node have been given on it, summed over their allocations.
 *
 * @param jobIds the jobs holding the node, in increasing order
 */
public record NodeUsage(int cores, int gpus, long memoryMb, List<Long> jobIds) {
    public static final NodeUsage NONE = new NodeUsage(0, 0, 0, List.of());

    public NodeUsage {
        jobIds = List.copyOf(jobIds);
    }

    /**
     * Each node's usage, keyed by node id. Only jobs that hold their nodes count: COMPLETING ones too, since the
     * scheduler gives nothing of theirs away until the node confirms the kill. A SUSPENDED job counts its memory and
     * GPUs and its id, not its cores, which the scheduler gives to other jobs meanwhile, as Slurm does: sinfo and
     * scontrol show node then give its node no allocated CPUs for it (IDLE when it is the node's only job), as
     * slurmctld makes such a node IDLE. A resumed job counts its cores again, so the cores of a node whose cores
     * were given meanwhile add up to more than it has until those jobs end ({@link #coresOn}). A node nobody uses
     * has no entry.
     */
    public static Map<String, NodeUsage> byNode(Collection<JobRecord> jobs) {
        List<JobRecord> holding = jobs.stream().filter(j -> j.state().isActive() && j.allocation() != null)
                .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
        Map<String, NodeUsage> usage = new HashMap<>();
        for (JobRecord j : holding) {
            for (Allocation.NodeSlots s : j.allocation().nodes()) {
                int cores = j.state() == JobState.SUSPENDED ? 0 : s.cpus();
                usage.merge(s.nodeId(), new NodeUsage(cores, s.gpus(), s.memoryMb(), List.of(j.id())),
                        NodeUsage::plus);
            }
        }
        return usage;
    }

    /**
     * The node's allocated cores, each counted once: at most the node's {@code nodeCores}, as Slurm's CPUAlloc is the
     * union of the cores allocated on it. The jobs' cores add up to more while a job resumed after a suspend shares
     * its cores with the jobs started on them meanwhile, or when a node came back with fewer cores than its jobs
     * hold; what a usage bar of the node fills.
     */
    public int coresOn(int nodeCores) {
        return Math.max(0, Math.min(cores, nodeCores));
    }

    /** The jobs' cores beyond the node's {@code nodeCores}, which {@link #coresOn} leaves out: 0 unless shared. */
    public int oversubscribedCores(int nodeCores) {
        return cores - coresOn(nodeCores);
    }

    private NodeUsage plus(NodeUsage other) {
        List<Long> ids = new ArrayList<>(jobIds);
        other.jobIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return new NodeUsage(cores + other.cores, gpus + other.gpus, memoryMb + other.memoryMb, ids);
    }
}
