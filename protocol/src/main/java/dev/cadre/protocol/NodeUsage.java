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
     * slurmctld makes such a node IDLE. A resumed job counts its cores again, so a node whose cores were given
     * meanwhile shows more allocated than it has until those jobs end. A node nobody uses has no entry.
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

    private NodeUsage plus(NodeUsage other) {
        List<Long> ids = new ArrayList<>(jobIds);
        other.jobIds.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        return new NodeUsage(cores + other.cores, gpus + other.gpus, memoryMb + other.memoryMb, ids);
    }
}
