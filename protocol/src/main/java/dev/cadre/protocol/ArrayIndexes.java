package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

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
    /** Longest list a request may name. */
    public static final int MAX_REQUEST_TEXT = 10_000;
    /** Longest set an answer may hold: as long as a whole message may be. */
    static final int MAX_ANSWERED_TEXT = MessageCodec.MAX_BYTES;

    private final List<TaskRange> ranges;
    private final int count;

    private ArrayIndexes(List<TaskRange> ranges) {
        this.ranges = List.copyOf(ranges);
        this.count = ranges.stream().mapToInt(TaskRange::count).sum();
    }

    /**
     * Parses an id list without throttle: items "N", "N-M" or "N-M:S" separated by commas; ids are sorted and
     * each kept once.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    @JsonCreator
    public static ArrayIndexes parse(String text) {
        return parse(text, MAX_REQUEST_TEXT);
    }

    /**
     * Parses a set the scheduler answered with ({@link ClientReply}): it may be far longer than any request's list,
     * as the tasks missing from a list over an irregular array, or those of a large array that ended out of order.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ArrayIndexes parseAnswered(String text) {
        return parse(text, MAX_ANSWERED_TEXT);
    }

    /**
     * Parses a set the store kept (an array's pending tasks): a hold of 0-99999:3 leaves the rest as hundreds of
     * kilobytes of ranges, which a restarted head must read back whole.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ArrayIndexes parseStored(String text) {
        return parse(text, Integer.MAX_VALUE);
    }

    private static ArrayIndexes parse(String text, int maxLength) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > maxLength) {
            throw new IllegalArgumentException("is longer than " + maxLength + " characters");
        }
        List<TaskRange> parsed = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            parsed.add(item(item));
        }
        return normalised(parsed);
    }

    private static TaskRange item(String item) {
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
        return new TaskRange(start, end - (end - start) % step, step);
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
    private static ArrayIndexes normalised(List<TaskRange> ranges) {
        long total = ranges.stream().mapToLong(TaskRange::count).sum();
        if (total > MAX_TASKS * 4L) {
            throw new IllegalArgumentException("has more than " + MAX_TASKS + " tasks");
        }
        boolean simple = true;
        for (int i = 1; i < ranges.size() && simple; i++) {
            simple = ranges.get(i).start() > ranges.get(i - 1).end();
        }
        ArrayIndexes out = simple ? new ArrayIndexes(ranges) : ofSorted(expand(ranges));
        if (out.count > MAX_TASKS) {
            throw new IllegalArgumentException("has " + out.count + " tasks; at most " + MAX_TASKS + " are allowed");
        }
        return out;
    }

    /** The ids, sorted, each once: a bit per id keeps this linear where sorting up to 4M boxed ids was not. */
    private static int[] expand(List<TaskRange> ranges) {
        BitSet ids = new BitSet();
        for (TaskRange r : ranges) {
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
        return new ArrayIndexes(TaskRangeRuns.fromSorted(ids));
    }

    /**
     * The union of sets that have no id in common (the pending tasks of one array's records). Ranges in, ranges out
     * when no two ranges span each other's ids: a part rejoining the array's record of a million tasks then costs
     * the ranges they hold, not the tasks. Interleaved steps (0-10:2 beside 1-11:2) are listed and regrouped.
     */
    public static ArrayIndexes unionOfDisjoint(List<ArrayIndexes> sets) {
        List<TaskRange> all = new ArrayList<>();
        for (ArrayIndexes set : sets) {
            all.addAll(set.ranges);
        }
        all.sort(Comparator.comparingInt(TaskRange::start));
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).start() <= all.get(i - 1).end()) {
                return ofSorted(expand(all));
            }
        }
        return new ArrayIndexes(TaskRangeRuns.regrouped(all));
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
        for (TaskRange r : ranges) {
            if (r.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /** The set without its lowest id: what a pending array keeps when its next task starts. */
    public ArrayIndexes withoutFirst() {
        List<TaskRange> out = new ArrayList<>(ranges);
        TaskRange first = out.remove(0);
        if (first.start() != first.end()) {
            out.add(0, new TaskRange(first.start() + first.step(), first.end(), first.step()));
        }
        return new ArrayIndexes(out);
    }

    /**
     * The set without the given id; the same set when it is absent. Ranges in, ranges out: the array's record
     * loses a task this way under the scheduler's lock, so it must not cost as much as the array is long.
     */
    public ArrayIndexes without(int id) {
        List<TaskRange> kept = new ArrayList<>(ranges.size() + 1);
        for (TaskRange r : ranges) {
            if (!r.contains(id)) {
                kept.add(r);
                continue;
            }
            if (id > r.start()) {
                kept.add(new TaskRange(r.start(), id - r.step(), r.step()));
            }
            if (id < r.end()) {
                kept.add(new TaskRange(id + r.step(), r.end(), r.step()));
            }
        }
        return new ArrayIndexes(TaskRangeRuns.regrouped(kept));
    }

    /**
     * The ids of this set that are in {@code listed} and not in {@code skipped}, ascending. One cursor into the list
     * goes up across the ranges (sorted, never interleaved), so that no part of the list is scanned twice however
     * many ranges there are, and a range with no listed id in its span costs nothing: a range of consecutive ids is
     * then walked by the listed ids inside it, a stepped one by its own ids, as the listed ids across its span may
     * be many more than it holds (a thousand records of 0-999999:1000 and so on, each spanning a list of them all).
     */
    public int[] selected(BitSet listed, BitSet skipped) {
        return TaskRangeWalks.selected(ranges, listed, skipped);
    }

    /**
     * The set without these ids, which must be sorted, distinct and all in it, its ranges regrouped as
     * {@link #ofSorted} groups ids. Ranges in, ranges out, as {@link #without(int)}, at the cost of the ranges and
     * the ids dropped.
     */
    public ArrayIndexes withoutSorted(int[] dropped) {
        return new ArrayIndexes(TaskRangeWalks.without(ranges, dropped));
    }

    /** The ids in ascending order. */
    public PrimitiveIterator.OfInt ids() {
        return ranges.stream().flatMapToInt(r -> IntStream.iterate(r.start(), i -> i <= r.end(),
                i -> i + r.step())).iterator();
    }

    /** Slurm's text for the set, as squeue prints it inside "N_[...]". */
    @JsonValue
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (TaskRange r : ranges) {
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
