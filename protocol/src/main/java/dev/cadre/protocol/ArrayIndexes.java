package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;

/**
 * A set of job-array task ids in Slurm's --array syntax ("0-99", "1,3,5-7", "0-20:4"), kept as ranges: a
 * 100,000-task array is a few numbers, never 100,000 entries. Immutable. The throttle ("%4") is not part of the
 * set; see {@link ArraySpec}.
 */
public final class ArrayIndexes {
    /** Largest task id, as Slurm's MaxArraySize bounds them; generous for a small cluster. */
    public static final int MAX_INDEX = 9_999_999;
    /** Most tasks in one array. */
    public static final int MAX_TASKS = 1_000_000;

    /** start..end (inclusive, end on the step), every step-th id. */
    private record Range(int start, int end, int step) {
        int count() {
            return (end - start) / step + 1;
        }

        boolean contains(int i) {
            return i >= start && i <= end && (i - start) % step == 0;
        }

        @Override
        public String toString() {
            if (start == end) {
                return Integer.toString(start);
            }
            return start + "-" + end + (step == 1 ? "" : ":" + step);
        }
    }

    private final List<Range> ranges;
    private final int count;

    private ArrayIndexes(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
        this.count = ranges.stream().mapToInt(Range::count).sum();
    }

    /**
     * Parses an id list without throttle: items "N", "N-M" or "N-M:S" separated by commas; ids are sorted and
     * each kept once.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    @JsonCreator
    public static ArrayIndexes parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > 10_000) {
            throw new IllegalArgumentException("is longer than 10000 characters");
        }
        List<Range> parsed = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            parsed.add(item(item));
        }
        return normalised(parsed);
    }

    private static Range item(String item) {
        String body = item;
        int step = 1;
        int colon = item.indexOf(':');
        if (colon >= 0) {
            step = number(item.substring(colon + 1), item);
            body = item.substring(0, colon);
            if (step < 1) {
                throw new IllegalArgumentException("'" + item + "' has a step below 1");
            }
        }
        int dash = body.indexOf('-');
        int start = number(dash < 0 ? body : body.substring(0, dash), item);
        int end = dash < 0 ? start : number(body.substring(dash + 1), item);
        if (dash < 0 && colon >= 0) {
            throw new IllegalArgumentException("'" + item + "' has a step but no range");
        }
        if (end < start) {
            throw new IllegalArgumentException("'" + item + "' ends before it starts");
        }
        return new Range(start, end - (end - start) % step, step);
    }

    private static int number(String text, String item) {
        if (text.isEmpty() || text.length() > 8 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + item + "' is not a task id, a range N-M or a range with step"
                    + " N-M:S of ids from 0 to " + MAX_INDEX);
        }
        int n = Integer.parseInt(text);
        if (n > MAX_INDEX) {
            throw new IllegalArgumentException("'" + item + "' has a task id above " + MAX_INDEX);
        }
        return n;
    }

    /** Sorted, merged, each id once; rejects sets over {@link #MAX_TASKS}. */
    private static ArrayIndexes normalised(List<Range> ranges) {
        long total = ranges.stream().mapToLong(Range::count).sum();
        if (total > MAX_TASKS * 4L) {
            throw new IllegalArgumentException("has more than " + MAX_TASKS + " tasks");
        }
        boolean simple = true;
        for (int i = 1; i < ranges.size() && simple; i++) {
            simple = ranges.get(i).start() > ranges.get(i - 1).end();
        }
        ArrayIndexes out = simple ? new ArrayIndexes(ranges) : fromSorted(expand(ranges));
        if (out.count > MAX_TASKS) {
            throw new IllegalArgumentException("has " + out.count + " tasks; at most " + MAX_TASKS + " are allowed");
        }
        return out;
    }

    /** The ids, sorted, each once: a bit per id keeps this linear where sorting up to 4M boxed ids was not. */
    private static int[] expand(List<Range> ranges) {
        java.util.BitSet ids = new java.util.BitSet();
        for (Range r : ranges) {
            for (int i = r.start(); i <= r.end(); i += r.step()) {
                ids.set(i);
            }
        }
        return ids.stream().toArray();
    }

    /**
     * The set of these ids, which must be sorted and distinct; empty (count 0, not to be sent: no text stands for
     * it) when there are none. What a request over a task list did to some of its tasks is answered this way.
     */
    public static ArrayIndexes ofSorted(int[] ids) {
        return fromSorted(ids);
    }

    /** Rebuilds ranges from sorted distinct ids, joining runs of an equal step. */
    private static ArrayIndexes fromSorted(int[] ids) {
        List<Range> out = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            int start = ids[i];
            if (i + 1 == ids.length) {
                out.add(new Range(start, start, 1));
                break;
            }
            int step = ids[i + 1] - start;
            int j = i + 1;
            while (j + 1 < ids.length && ids[j + 1] - ids[j] == step) {
                j++;
            }
            if (j - i >= 2 || step == 1) {
                out.add(new Range(start, ids[j], step));
                i = j + 1;
            } else {
                out.add(new Range(start, start, 1));
                i++;
            }
        }
        return new ArrayIndexes(out);
    }

    public int count() {
        return count;
    }

    public int min() {
        return ranges.get(0).start();
    }

    public int max() {
        return ranges.get(ranges.size() - 1).end();
    }

    public boolean contains(int id) {
        for (Range r : ranges) {
            if (r.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** The set without its lowest id: what a pending array keeps when its next task starts. */
    public ArrayIndexes withoutFirst() {
        List<Range> out = new ArrayList<>(ranges);
        Range first = out.remove(0);
        if (first.start() != first.end()) {
            out.add(0, new Range(first.start() + first.step(), first.end(), first.step()));
        }
        return new ArrayIndexes(out);
    }

    /**
     * The set without the given id; the same set when it is absent. Ranges in, ranges out: the array's record
     * loses a task this way under the scheduler's lock, so it must not cost as much as the array is long.
     */
    public ArrayIndexes without(int id) {
        List<Range> kept = new ArrayList<>(ranges.size() + 1);
        for (Range r : ranges) {
            if (!r.contains(id)) {
                kept.add(r);
                continue;
            }
            if (id > r.start()) {
                kept.add(new Range(r.start(), id - r.step(), r.step()));
            }
            if (id < r.end()) {
                kept.add(new Range(id + r.step(), r.end(), r.step()));
            }
        }
        return regrouped(kept);
    }

    /**
     * What {@link #fromSorted} makes of the ids of these sorted, disjoint ranges, without listing the ids: the
     * gaps between consecutive ids, as runs of equal gaps, are walked a run at a time with the same greedy rule.
     */
    private static ArrayIndexes regrouped(List<Range> sorted) {
        if (sorted.isEmpty()) {
            return new ArrayIndexes(List.of());
        }
        int[] gap = new int[2 * sorted.size()];
        int[] times = new int[2 * sorted.size()];
        int runs = 0;
        Integer previousEnd = null;
        for (Range r : sorted) {
            if (previousEnd != null) {
                runs = addGaps(gap, times, runs, r.start() - previousEnd, 1);
            }
            if (r.count() > 1) {
                runs = addGaps(gap, times, runs, r.step(), r.count() - 1);
            }
            previousEnd = r.end();
        }
        List<Range> out = new ArrayList<>();
        int at = sorted.get(0).start();
        int run = 0;
        int used = 0;
        while (run < runs) {
            int step = gap[run];
            int left = times[run] - used;
            if (left >= 2 || step == 1) {
                int end = at + step * left;
                out.add(new Range(at, end, step));
                run++;
                used = 0;
                if (run == runs) {
                    return new ArrayIndexes(out);
                }
                // The id after the range starts the next search.
                at = end + gap[run];
                used = 1;
                if (used == times[run]) {
                    run++;
                    used = 0;
                }
            } else {
                out.add(new Range(at, at, 1));
                at += step;
                run++;
                used = 0;
            }
        }
        out.add(new Range(at, at, 1));
        return new ArrayIndexes(out);
    }

    /** Appends n gaps of this size to the runs, joining the last run when it has the same size. */
    private static int addGaps(int[] gap, int[] times, int runs, int size, int n) {
        if (runs > 0 && gap[runs - 1] == size) {
            times[runs - 1] += n;
            return runs;
        }
        gap[runs] = size;
        times[runs] = n;
        return runs + 1;
    }

    /** The ids in ascending order. */
    public PrimitiveIterator.OfInt ids() {
        return ranges.stream().flatMapToInt(r -> java.util.stream.IntStream.iterate(r.start(), i -> i <= r.end(),
                i -> i + r.step())).iterator();
    }

    /** Slurm's text for the set, as squeue prints it inside "N_[...]". */
    @JsonValue
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayIndexes other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
