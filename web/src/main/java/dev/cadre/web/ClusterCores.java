package dev.cadre.web;

import java.util.HashMap;
import java.util.Map;

/**
 * The utilization chart's cores at one time, kept as the jobs' holdings and the nodes' standing change: what the
 * jobs hold, each node's counted at most up to its cores ({@link #allocated}), and what the nodes offer
 * ({@link #total}). A node counts whole in the total while it is usable (UP); while it is DOWN, DRAINED or not part of
 * the cluster, only the cores its jobs still hold count (a drained node runs its jobs to their end), as Slurm's
 * sreport counts a period's down time at most what allocation left, so the chart never shows more cores allocated
 * than offered. A node whose cores are unknown (deleted since, never in the history) is not capped, and counts in the
 * total what its jobs hold. Cores held on no node known to the job were on one of the nodes counted in the total, so
 * they add nothing to it and count as allocated only as far as those nodes' free cores go, the rest as
 * oversubscribed. (No record Cadre writes holds such cores: an allocation has carried each node's share with the
 * node's id since the first; only a share without one, in a record written by other means, would.)
 */
final class ClusterCores {
    private final Map<String, NodeCores> nodes = new HashMap<>();
    private long held;
    /** What the jobs hold on no node known to them. */
    private long unplaced;
    /** What the jobs hold on known nodes, each node's at most its cores. */
    private long allocated;
    private long total;

    /** What jobs hold on a node, its cores (null: unknown) and whether it is usable. */
    private static final class NodeCores {
        long held;
        Integer cores;
        boolean usable;

        long allocated() {
            return cores == null ? Math.max(0, held) : Math.max(0, Math.min(held, cores));
        }

        long offered() {
            return usable ? cores : allocated();
        }
    }

    /** The jobs on the node (null: on no node known) hold {@code cores} more, or fewer when negative. */
    void hold(String node, long cores) {
        held += cores;
        if (node == null) {
            unplaced += cores;
        } else if (cores != 0) {
            change(node, n -> n.held += cores);
        }
    }

    /** From now on the node has these cores (null: unknown), usable or not. */
    void stand(String node, Integer cores, boolean usable) {
        change(node, n -> {
            n.cores = cores;
            n.usable = usable && cores != null;
        });
    }

    private void change(String node, java.util.function.Consumer<NodeCores> how) {
        NodeCores n = nodes.computeIfAbsent(node, k -> new NodeCores());
        allocated -= n.allocated();
        total -= n.offered();
        how.accept(n);
        allocated += n.allocated();
        total += n.offered();
    }

    /**
     * What the jobs hold, each node's cores counted once, at most the node's; what they hold on no node known, at most
     * the cores the nodes have free: never more than {@link #total}.
     */
    long allocated() {
        return allocated + Math.max(0, Math.min(unplaced, total - allocated));
    }

    /** What the jobs hold beyond {@link #allocated}: cores held twice over after a resume. */
    long oversubscribed() {
        return held - allocated();
    }

    /** The usable nodes' cores, and what the jobs hold on the others. */
    long total() {
        return total;
    }
}
