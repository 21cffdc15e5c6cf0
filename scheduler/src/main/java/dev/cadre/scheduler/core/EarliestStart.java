package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The earliest step at which a job fits in a {@link ResourceProfile} for its whole length. Judging every step
 * over every node would cost steps x nodes per job. Instead the nodes' capacities for the job are summed per
 * start ({@link CapacitySums}), and a step is judged in full by {@link ResourceFit} only where the sums say the
 * job may fit.
 *
 * <p>Two things keep that cheap on a busy cluster. A node too busy before some step adds nothing to starts
 * before it, and is passed over unread ({@link ResourceProfile#firstFree}), so near starts are tried first.
 * And the earliest start at which enough single nodes each hold their part bounds the search; it is found
 * node by node, each walked only until it cannot beat the best so far. For a job on one node that bound is
 * the answer.
 */
final class EarliestStart {
    /** How many steps ahead the first walk over all nodes looks; each further one looks four times as far. */
    private static final int NEAR = 64;

    private final ResourceProfile profile;
    private final CapacitySums sums;
    private int[] capacity = new int[16];

    /** The job being searched for. */
    private JobSpec spec;
    private NodeDemand demand;
    private RoomNeed need;
    /** The hosts the job excludes; null for none. */
    private Set<String> excluded;
    private int length;
    /** The first step the job may start at. */
    private int notBefore;

    EarliestStart(ResourceProfile profile) {
        this.profile = profile;
        this.sums = new CapacitySums(profile.steps());
    }

    /** The earliest slot where the job fits for length steps; empty if none starts within the window. */
    Optional<ResourceProfile.Slot> find(JobSpec job, int steps) {
        return find(job, steps, 0);
    }

    /**
     * The earliest slot at step {@code from} or later where the job fits for length steps (a job held back until a
     * begin time starts no earlier); empty if none starts within the window.
     */
    Optional<ResourceProfile.Slot> find(JobSpec job, int steps, int from) {
        if (from >= profile.steps()) {
            return Optional.empty();
        }
        notBefore = from;
        spec = job;
        demand = NodeDemand.of(job);
        need = RoomNeed.of(job);
        excluded = job.excludedHosts().isEmpty() ? null : new HashSet<>(job.excludedHosts());
        length = steps;
        int bound = profile.steps();
        Optional<ResourceProfile.Slot> atBound = Optional.empty();
        if (job.requiredHosts().isEmpty()) {
            int nodes = job.nodes() == null ? 1 : job.nodes();
            int[] starts = earliestOnEach(nodes, need.mostPerNode(job));
            int candidate = starts[nodes - 1];
            // One task goes to the first node in preference order that holds it then: no earlier node does. A
            // service's replica is the exception: every node that holds it then is a choice, to spread replicas.
            int firstNode = job.nodes() == null && job.taskCount() == 1 && job.service() == null ? starts[nodes] : 0;
            atBound = fitAt(candidate, firstNode);
            bound = atBound.isPresent() ? candidate : profile.steps();
            if (nodes == 1 && (job.nodes() != null || job.taskCount() == 1)) {
                return atBound;
            }
        }
        // Near starts first: only nodes free before the limit are walked, and in a busy cluster they are few.
        for (int limit = (int) Math.min(bound, (long) from + NEAR); ;
                limit = (int) Math.min(bound, from + (limit - from) * 4L)) {
            Optional<ResourceProfile.Slot> slot = earliestAcrossNodes(limit);
            if (slot.isPresent() || limit == bound) {
                return slot.isPresent() ? slot : atBound;
            }
        }
    }

    private boolean usable(int node) {
        return (excluded == null || !profile.node(node).namedIn(excluded))
                && !profile.fence().bars(spec, profile.node(node).hostname());
    }

    /**
     * The earliest one-node starts of the given number of nodes, each holding tasks tasks alone, in
     * order (steps() where there are too few), followed by the first node in preference order with the
     * earliest. Wherever that many nodes each hold that many tasks at once, the job fits.
     */
    private int[] earliestOnEach(int nodes, int tasks) {
        int[] best = new int[nodes + 1];
        Arrays.fill(best, 0, nodes, profile.steps());
        int[] free = profile.firstFree(tasks * demand.cpusPerTask());
        for (int i = 0; i < profile.nodeCount(); i++) {
            int worst = best[nodes - 1];
            int start = free[i] < worst && usable(i) ? earliestOnNode(i, worst, tasks) : worst;
            if (start < worst) {
                int at = nodes - 1;
                for (; at > 0 && best[at - 1] > start; at--) {
                    best[at] = best[at - 1];
                }
                best[at] = start;
                best[nodes] = at == 0 ? i : best[nodes];
            }
        }
        return best;
    }

    /**
     * The earliest start from notBefore on, if before limit, at which the node alone holds tasks of the job's tasks
     * for its length; else limit. A run of entries that hold them must last the length, or reach the profile's end.
     */
    private int earliestOnNode(int node, int limit, int tasks) {
        NodeTimeline t = profile.timeline(node);
        int run = -1;
        for (int i = t.entryAt(notBefore); i < t.size(); i++) {
            int from = Math.max(t.from(i), notBefore);
            if (run < 0 && from >= limit) {
                return limit;
            }
            if (capacityOf(t, i, profile.node(node), tasks) < tasks) {
                run = -1;
                continue;
            }
            run = run < 0 ? from : run;
            int until = i + 1 < t.size() ? t.from(i + 1) : profile.steps();
            if (until >= profile.steps() || until - run >= length) {
                return run;
            }
        }
        return limit;
    }

    /** The earliest slot before limit, by the summed capacities of all nodes. */
    private Optional<ResourceProfile.Slot> earliestAcrossNodes(int limit) {
        sums.clear(need, length, limit);
        // Before a node has the cores for as many tasks as count, it adds nothing that counts.
        int[] free = profile.firstFree(need.share() * demand.cpusPerTask());
        for (int i = 0; i < profile.nodeCount(); i++) {
            if (free[i] < limit && usable(i)) {
                NodeTimeline t = profile.timeline(i);
                int m = sums.entriesReached(t);
                if (capacity.length < m) {
                    capacity = new int[Math.max(m, capacity.length * 2)];
                }
                for (int e = 0; e < m; e++) {
                    capacity[e] = capacityOf(t, e, profile.node(i), need.cap());
                }
                sums.add(t, capacity, m);
            }
        }
        return sums.firstFit(notBefore, s -> fitAt(s, 0));
    }

    /**
     * Where the job fits from step s for its length, judged by ResourceFit over the nodes from firstNode on;
     * empty at or past the profile's end.
     */
    private Optional<ResourceProfile.Slot> fitAt(int s, int firstNode) {
        if (s >= profile.steps()) {
            return Optional.empty();
        }
        int end = (int) Math.min((long) s + length, profile.steps());
        // The first nodes in preference order that give the job what it needs are enough: ResourceFit finds a
        // place on them. Named hosts may lie beyond, and nodes that hold none of the job count too.
        boolean all = !spec.requiredHosts().isEmpty() || need.emptyShares() || spec.service() != null;
        FreeResources window = new FreeResources().fencedBy(profile.fence());
        if (spec.service() != null) {
            window.copyInstancesOf(spec.service(), profile.instances());
        }
        long room = 0;
        int holding = 0;
        int holdingMore = 0;
        int[] free = profile.firstFree(need.emptyShares() ? 0 : demand.cpusPerTask());
        for (int i = firstNode; i < profile.nodeCount() && (all || !need.met(room, holding, holdingMore)); i++) {
            boolean open = (need.emptyShares() || free[i] <= s) && usable(i);
            NodeCapacity least = open ? profile.timeline(i).freeThroughout(profile.node(i), s, end) : null;
            int tasks = least == null ? 0
                    : tasksIn(least.cores(), least.memoryMb(), least.gpusOf(demand.gpuType()), profile.node(i),
                            Integer.MAX_VALUE);
            if (tasks > 0 || least != null && need.emptyShares()) {
                window.addPlanned(profile.node(i), least);
                room += tasks;
                holding += need.holds(tasks);
                holdingMore += need.holdsMore(tasks);
            }
        }
        return ResourceFit.fit(spec, window).map(a -> new ResourceProfile.Slot(s, a));
    }

    /** How many of the job's tasks, up to cap, entry i of a node's timeline holds. */
    private int capacityOf(NodeTimeline t, int i, NodeCapacity total, int cap) {
        return t.held(i) ? 0 : tasksIn(t.cores(i), t.memoryMb(i), t.gpusOf(i, demand.gpuType()), total, cap);
    }

    /** How many of the job's tasks, up to cap, fit in what a node has free; an exclusive job needs it all free. */
    private int tasksIn(int cores, long memoryMb, int gpus, NodeCapacity total, int cap) {
        if (spec.wholeNodes() && (cores != total.cores() || memoryMb != total.memoryMb()
                || gpus != total.gpusOf(demand.gpuType())
                || !demand.memoryForEveryCpu(cores, memoryMb))) {
            return 0;
        }
        if (cap == 1) {
            // Most jobs are one task: a comparison spares the division.
            boolean gpusFit = demand.gpusPerTask() == 0 || gpus >= demand.gpusPerTask();
            return cores >= demand.cpusPerTask() && memoryMb >= demand.memoryMb() && gpusFit ? 1 : 0;
        }
        return Math.min(cap, demand.tasksOn(cores, memoryMb, gpus));
    }
}
