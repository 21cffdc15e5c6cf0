package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;

/**
 * What nodes must give a job, counted in its tasks, for {@link ResourceFit} to place it: a job without a node
 * count needs room for its tasks, on any number of nodes; one spread over a node count needs that many nodes
 * that each hold its share, of which some hold one task more.
 *
 * @param cap the most tasks of the job a node can usefully hold
 * @param room how many tasks the nodes must hold together
 * @param share the share of a job spread over a node count (1 otherwise)
 * @param sharing how many nodes must hold the share
 * @param largerShare the share plus one
 * @param largerSharing how many nodes must hold the larger share
 * @param emptyShares fewer tasks than nodes: some nodes hold none of them, and for those any node will do
 */
record RoomNeed(int cap, int room, int share, int sharing, int largerShare, int largerSharing, boolean emptyShares) {

    static RoomNeed of(JobSpec spec) {
        int tasks = spec.taskCount();
        if (spec.nodes() == null) {
            return new RoomNeed(tasks, tasks, 1, 0, 1, 0, false);
        }
        int k = spec.nodes();
        int base = tasks / k;
        return new RoomNeed(base + 1, 0, Math.max(1, base), base == 0 ? 0 : k, base + 1, tasks % k, base == 0);
    }

    /** The most tasks any one node of the job holds. */
    int mostPerNode(JobSpec spec) {
        return spec.nodes() == null ? room : largerSharing > 0 ? largerShare : share;
    }

    /** Whether nodes holding this many tasks, so many the share and so many the larger share, are enough. */
    boolean met(long roomSum, int holding, int holdingMore) {
        return roomSum >= room && holding >= sharing && holdingMore >= largerSharing;
    }

    /** Whether a node holding this many tasks counts towards the share, and towards the larger share. */
    int holds(int tasks) {
        return tasks >= share ? 1 : 0;
    }

    int holdsMore(int tasks) {
        return tasks >= largerShare ? 1 : 0;
    }
}
