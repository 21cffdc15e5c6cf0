package dev.cadre.scheduler.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * For one job, what all nodes together give it as a function of its start: per step, how many of its tasks the
 * nodes hold throughout its length from there, and how many nodes hold its share and its larger share. Each
 * node's capacity is a step function of the start, added where it changes, so the sums cost one walk over
 * each node's few entries rather than steps x nodes.
 */
final class CapacitySums {
    private final int[] roomChange;
    private final int[] sharingChange;
    private final int[] sharingMoreChange;
    /** Whether any node's capacity changes at a step: only there can the job come to fit. */
    private final boolean[] changed;
    private int[] minima = new int[16];
    private RoomNeed need;
    private int length;
    private int limit;

    CapacitySums(int steps) {
        roomChange = new int[steps];
        sharingChange = new int[steps];
        sharingMoreChange = new int[steps];
        changed = new boolean[steps];
    }

    /** Starts sums over starts before limit for a job of the given need and length in steps. */
    void clear(RoomNeed job, int steps, int before) {
        need = job;
        length = steps;
        limit = before;
        Arrays.fill(roomChange, 0, limit, 0);
        Arrays.fill(sharingChange, 0, limit, 0);
        Arrays.fill(sharingMoreChange, 0, limit, 0);
        Arrays.fill(changed, 0, limit, false);
    }

    /** The number of a timeline's entries that periods starting before the limit reach. */
    int entriesReached(NodeTimeline t) {
        return t.entryAt((int) Math.min((long) limit - 1 + length, Integer.MAX_VALUE)) + 1;
    }

    /**
     * Adds a node whose first m entries hold capacity[i] tasks each. At start s the node holds the least of its
     * entries' capacities over steps [s, s + length): a sliding minimum, kept with a monotone queue of entries.
     */
    void add(NodeTimeline t, int[] capacity, int m) {
        int lo = 0;
        boolean flat = true;
        while (lo < m && capacity[lo] == 0) {
            lo++;
        }
        for (int i = lo; i < m && flat; i++) {
            flat = capacity[i] == capacity[0];
        }
        // Before the first entry that holds a task the node adds nothing, whatever the start.
        if (lo == m || t.from(lo) >= limit) {
            return;
        }
        if (flat) {
            record(0, 0, capacity[0]);
            return;
        }
        if (minima.length < m) {
            minima = new int[Math.max(m, minima.length * 2)];
        }
        int head = 0;
        int tail = 0;
        int hi = lo - 1;
        int before = 0;
        int s = t.from(lo);
        while (true) {
            long end = (long) s + length;
            while (hi + 1 < m && t.from(hi + 1) < end) {
                hi++;
                while (tail > head && capacity[minima[tail - 1]] >= capacity[hi]) {
                    tail--;
                }
                minima[tail++] = hi;
            }
            while (lo + 1 < m && t.from(lo + 1) <= s) {
                lo++;
            }
            while (minima[head] < lo) {
                head++;
            }
            int now = capacity[minima[head]];
            if (now != before) {
                record(s, before, now);
                before = now;
            }
            // The minimum changes only where the period's start passes an entry or its end reaches one.
            long next = Long.MAX_VALUE;
            if (lo + 1 < m) {
                next = t.from(lo + 1);
            }
            if (hi + 1 < m) {
                next = Math.min(next, (long) t.from(hi + 1) - length + 1);
            }
            if (next >= limit) {
                return;
            }
            s = (int) next;
        }
    }

    private void record(int step, int before, int after) {
        roomChange[step] += after - before;
        sharingChange[step] += need.holds(after) - need.holds(before);
        sharingMoreChange[step] += need.holdsMore(after) - need.holdsMore(before);
        changed[step] = true;
    }

    /**
     * The first slot that fit finds at step {@code from} or later and before the limit, asking only at steps where
     * the sums meet the need and something changed (or at step {@code from}).
     */
    Optional<ResourceProfile.Slot> firstFit(int from, IntFunction<Optional<ResourceProfile.Slot>> fit) {
        int room = 0;
        int sharing = 0;
        int sharingMore = 0;
        for (int s = 0; s < limit; s++) {
            room += roomChange[s];
            sharing += sharingChange[s];
            sharingMore += sharingMoreChange[s];
            if (s >= from && (changed[s] || s == from) && need.met(room, sharing, sharingMore)) {
                Optional<ResourceProfile.Slot> slot = fit.apply(s);
                if (slot.isPresent()) {
                    return slot;
                }
            }
        }
        return Optional.empty();
    }
}
