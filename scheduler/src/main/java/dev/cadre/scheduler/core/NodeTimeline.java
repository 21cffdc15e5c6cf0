package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one node has free over the steps of a {@link ResourceProfile}, as a step function: entry i holds from
 * its step until the next entry's. A node changes only where a job ends or a reservation begins or ends, a few
 * times in a window, so the entries are few and a period is judged by walking them, not every step.
 */
final class NodeTimeline {
    /** Entry i's step, free cores, free GPUs and whether an exclusive job holds the node, side by side. */
    private static final int FROM = 0;
    private static final int CORES = 1;
    private static final int GPUS = 2;
    private static final int HELD = 3;
    private static final int WIDTH = 4;

    /** The profile's length: steps 0 to steps - 1. */
    private final int steps;
    private int size;
    // One array for what most jobs look at, rather than one per figure: a search walks every node's entries.
    private int[] entries = new int[4 * WIDTH];
    private long[] memoryMb = new long[4];
    /** Entry i's free GPUs of each type ({@link TypedGpus}); every entry empty for a node whose GPUs have none. */
    private List<Map<String, Integer>> gpuTypes = new ArrayList<>();

    /** @param free what the node has free now, at step 0 */
    NodeTimeline(int steps, NodeCapacity free, boolean heldWhole) {
        this.steps = steps;
        size = 1;
        entries[CORES] = free.cores();
        entries[GPUS] = free.gpus();
        entries[HELD] = heldWhole ? 1 : 0;
        memoryMb[0] = free.memoryMb();
        gpuTypes.add(free.gpuTypes());
    }

    int size() {
        return size;
    }

    /** The step at which entry i begins. */
    int from(int i) {
        return entries[i * WIDTH + FROM];
    }

    int cores(int i) {
        return entries[i * WIDTH + CORES];
    }

    long memoryMb(int i) {
        return memoryMb[i];
    }

    int gpus(int i) {
        return entries[i * WIDTH + GPUS];
    }

    /** The GPUs a job asking for this type (null: any) can have during entry i. */
    int gpusOf(int i, String type) {
        return type == null ? gpus(i) : gpuTypes.get(i).getOrDefault(type, 0);
    }

    /** An exclusive job holds the node during entry i. */
    boolean held(int i) {
        return entries[i * WIDTH + HELD] != 0;
    }

    /** The first step at which the node has this many cores free and no exclusive job holds it; steps if none. */
    int firstFree(int wanted) {
        for (int i = 0; i < size; i++) {
            if (cores(i) >= wanted && !held(i)) {
                return from(i);
            }
        }
        return steps;
    }

    /** From step on, the slot's resources are free again; a whole-node slot frees the node for others too. */
    void give(int step, Allocation.NodeSlots slot, boolean wholeNode) {
        for (int i = split(step); i < size; i++) {
            change(i, slot, 1);
            if (wholeNode) {
                entries[i * WIDTH + HELD] = 0;
            }
        }
    }

    /** The slot's resources are taken over steps [start, end); an end past the profile takes them to its end. */
    void take(int start, int end, Allocation.NodeSlots slot, boolean wholeNode) {
        int first = split(start);
        int last = end >= steps ? size : split(end);
        for (int i = first; i < last; i++) {
            change(i, slot, -1);
            if (wholeNode) {
                entries[i * WIDTH + HELD] = 1;
            }
        }
    }

    /** The entry that holds at step. */
    int entryAt(int step) {
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (from(mid) <= step) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Per resource, the least the node has free over steps [start, end): what a job there can count on; null
     * when an exclusive job holds the node at any of those steps.
     */
    NodeCapacity freeThroughout(NodeCapacity node, int start, int end) {
        int c = Integer.MAX_VALUE;
        long m = Long.MAX_VALUE;
        int g = Integer.MAX_VALUE;
        Map<String, Integer> types = null;
        for (int i = entryAt(start); i < size && from(i) < end; i++) {
            if (held(i)) {
                return null;
            }
            c = Math.min(c, cores(i));
            m = Math.min(m, memoryMb[i]);
            g = Math.min(g, gpus(i));
            types = types == null ? gpuTypes.get(i) : TypedGpus.least(types, gpuTypes.get(i));
        }
        return new NodeCapacity(node.nodeId(), node.hostname(), c, m, g, types);
    }

    private void change(int i, Allocation.NodeSlots slot, int sign) {
        entries[i * WIDTH + CORES] += sign * slot.cpus();
        entries[i * WIDTH + GPUS] += sign * slot.gpus();
        memoryMb[i] += sign * slot.memoryMb();
        gpuTypes.set(i, TypedGpus.change(gpuTypes.get(i), slot.gpuTypes(), sign));
    }

    /** Makes an entry begin at step, copying the one that held there, and returns its index. */
    private int split(int step) {
        int at = entryAt(step);
        if (from(at) == step) {
            return at;
        }
        if (size == memoryMb.length) {
            entries = Arrays.copyOf(entries, size * 2 * WIDTH);
            memoryMb = Arrays.copyOf(memoryMb, size * 2);
        }
        int next = at + 1;
        System.arraycopy(entries, next * WIDTH, entries, (next + 1) * WIDTH, (size - next) * WIDTH);
        System.arraycopy(memoryMb, next, memoryMb, next + 1, size - next);
        System.arraycopy(entries, at * WIDTH, entries, next * WIDTH, WIDTH);
        entries[next * WIDTH + FROM] = step;
        memoryMb[next] = memoryMb[at];
        gpuTypes.add(next, gpuTypes.get(at));
        size++;
        return next;
    }
}
