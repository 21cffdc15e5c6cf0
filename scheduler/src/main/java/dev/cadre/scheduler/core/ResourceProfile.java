package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Free resources over time, in steps of the backfill resolution from now to the end of the backfill window
 * (Slurm's bf_resolution and bf_window): step k is the period from now + k x resolution. Times are rounded up
 * to a step, the safe way: a plan never counts on resources before they are free, and a job is planned to hold
 * its resources until the step after its time limit. Nothing comes back after the window, and no job is planned
 * to start after it.
 */
final class ResourceProfile {
    /** A job's planned start, in steps from now, and where it runs. */
    record Slot(int start, Allocation allocation) {
    }

    private final Instant now;
    private final Duration window;
    private final long resolutionNanos;
    private final int steps;
    /** Every usable node's full resources, in placement preference order. */
    private final NodeCapacity[] nodes;
    private final NodeTimeline[] timelines;
    /**
     * For 1, 2, 4 ... 2^(LEVELS - 1) cores, each node's first step with that many free, side by side, so that a
     * search passes over nodes too busy for a job without reading their timelines.
     */
    private final int[][] firstFree;
    private static final int LEVELS = 8;
    private final Map<String, Integer> index = new HashMap<>();
    /**
     * Services' instances per node, those started in this pass included, so that replicas spread as with the other
     * policies; a reservation for later counts only once it starts.
     */
    private final FreeResources instances;
    /** The partitions, which keep a job to their nodes in a plan too. */
    private final PartitionFence fence;
    /** Cores free at step 0, over all nodes: when none is left, nothing more can start now. */
    private long freeCoresNow;

    /**
     * @param free what each usable node has free now
     * @param running when each running job gives its resources back
     */
    ResourceProfile(FreeResources free, List<Release> running, Instant now, Duration resolution, Duration window) {
        this.now = now;
        this.window = window;
        this.resolutionNanos = resolution.toNanos();
        this.steps = Math.toIntExact(window.toNanos() / resolutionNanos + 1);
        this.freeCoresNow = free.freeCores();
        this.instances = free.instanceCounts();
        this.fence = free.fence();
        nodes = new NodeCapacity[free.nodes().size()];
        timelines = new NodeTimeline[nodes.length];
        firstFree = new int[LEVELS][nodes.length];
        int i = 0;
        for (NodeCapacity n : free.nodes()) {
            nodes[i] = free.total(n.nodeId());
            timelines[i] = new NodeTimeline(steps, n, free.heldWhole(n.nodeId()));
            index.put(n.nodeId(), i++);
        }
        // In time order, so that each node's entries are appended rather than inserted.
        List<Release> sorted = new ArrayList<>(running);
        sorted.sort(Comparator.comparing(Release::at));
        for (Release r : sorted) {
            int step = stepOf(r.at());
            if (step >= steps) {
                break;
            }
            for (Allocation.NodeSlots s : r.allocation().nodes()) {
                Integer at = index.get(s.nodeId());
                if (at != null) {
                    timelines[at].give(step, s, r.wholeNodes());
                }
            }
        }
        keepReservedNodes(free.reserved(), now);
        for (int n = 0; n < nodes.length; n++) {
            noteFirstFree(n);
        }
    }

    /**
     * Holds each advance reservation's nodes whole over its window, widened to whole steps, so that no job outside it
     * is planned to run into it; the jobs in a reservation are placed apart ({@link ConservativeBackfillPolicy}).
     */
    private void keepReservedNodes(ReservedNodes reserved, Instant now) {
        for (AdvanceReservation r : reserved.keptFromOthers(now, now.plus(window))) {
            int from = r.startTime().isAfter(now)
                    ? (int) Math.min(steps, Duration.between(now, r.startTime()).toNanos() / resolutionNanos) : 0;
            int to = stepOf(r.endTime());
            if (from >= steps) {
                continue;
            }
            for (int i = 0; i < nodes.length; i++) {
                if (r.holds(nodes[i].hostname())) {
                    timelines[i].take(from, to, new Allocation.NodeSlots(nodes[i].nodeId(), nodes[i].hostname(), 0, 0,
                            0, 0), true);
                }
            }
        }
    }

    long freeCoresNow() {
        return freeCoresNow;
    }

    /** Steps 0 to steps() - 1 make up the profile. */
    int steps() {
        return steps;
    }

    int nodeCount() {
        return nodes.length;
    }

    /** Node i's full resources; nodes are numbered in placement preference order. */
    PartitionFence fence() {
        return fence;
    }

    NodeCapacity node(int i) {
        return nodes[i];
    }

    NodeTimeline timeline(int i) {
        return timelines[i];
    }

    /**
     * Per node, a step no later than the first at which it has this many cores free and no exclusive job holds
     * it, or steps() if none: before it, the node holds nothing that needs them. Read only.
     */
    int[] firstFree(int cores) {
        return firstFree[Math.min(LEVELS - 1, 31 - Integer.numberOfLeadingZeros(Math.max(1, cores)))];
    }

    private void noteFirstFree(int i) {
        for (int level = 0; level < LEVELS; level++) {
            firstFree[level][i] = timelines[i].firstFree(1 << level);
        }
    }

    /** How many steps a job with this time limit holds its resources: its limit rounded up to whole steps. */
    int length(Duration limit) {
        if (limit.compareTo(window) > 0) {
            return steps;
        }
        return (int) Math.max(1, ceilDiv(limit.toNanos(), resolutionNanos));
    }

    /** Where the service's instances run now, by node id, and where this pass starts more. */
    FreeResources instances() {
        return instances;
    }

    /** Reserves the slot for the job; a service's instance starting now is counted on its nodes. */
    void reserve(Slot slot, int length, JobSpec spec) {
        if (slot.start() == 0 && spec.service() != null) {
            instances.countInstance(spec.service(), slot.allocation());
        }
        reserve(slot, length, spec.wholeNodes());
    }

    /** Takes the slot's allocation from its start for length steps; an exclusive job keeps others off its nodes. */
    void reserve(Slot slot, int length, boolean wholeNodes) {
        int end = (int) Math.min((long) slot.start() + length, steps);
        for (Allocation.NodeSlots s : slot.allocation().nodes()) {
            Integer i = index.get(s.nodeId());
            if (i != null) {
                timelines[i].take(slot.start(), end, s, wholeNodes);
                noteFirstFree(i);
                freeCoresNow -= slot.start() == 0 ? s.cpus() : 0;
            }
        }
    }

    /** The first step that begins at or after this time (0 for a time not after now); steps() past the window. */
    int firstStepFrom(Instant at) {
        return at.isAfter(now) ? stepOf(at) : 0;
    }

    /**
     * The step from which resources given back at this time are free: rounded up. A job at or past its limit is
     * being ended but still holds its resources now, so they count from step 1.
     */
    private int stepOf(Instant at) {
        if (!at.isAfter(now)) {
            return 1;
        }
        Duration ahead = Duration.between(now, at);
        return ahead.compareTo(window) > 0 ? steps : (int) ceilDiv(ahead.toNanos(), resolutionNanos);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
