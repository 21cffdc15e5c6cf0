package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.MessageCodec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Keeps the task sets of one task-list answer within what a message carries. A list over a large array whose tasks
 * ended out of order can leave a million scattered ids in one set, several MiB of text: an answer that long could be
 * neither read by the client nor read back for a repeated request, though its change was committed. Sets that fit
 * are named whole; past the bound the longest are cut between ranges and the answer counts what each leaves out.
 */
final class AnsweredTaskSets {
    /** Text all of an answer's sets may take: half a message, leaving the rest for reasons and the envelope. */
    static final int MOST_TEXT = MessageCodec.MAX_BYTES / 2;
    /** Longest set a refusal's reason repeats; past it the reason names the first ranges and the count. */
    static final int MOST_NAMED = 200;

    /** A set as the answer names it: its first ranges, and how many of its tasks those leave out. */
    record Shown(ArrayIndexes tasks, int omitted) {
        static final Shown NONE = new Shown(null, 0);
    }

    private AnsweredTaskSets() {
    }

    /**
     * The sets as an answer may name them, in the order given: every set whole when together they take at most
     * {@code most} characters; else the shorter sets whole and each longer one cut to an equal share of what they
     * leave, each keeping at least its first range, so that no set that had tasks is named empty.
     */
    static List<Shown> shown(List<BitSet> sets, int most) {
        List<ArrayIndexes> whole = sets.stream().map(TaskListCancel::set).toList();
        int[] lengths = whole.stream().mapToInt(s -> s == null ? 0 : s.toString().length()).toArray();
        List<Shown> shown = new ArrayList<>(whole.stream().map(s -> new Shown(s, 0)).toList());
        if (IntStream.of(lengths).asLongStream().sum() <= most) {
            return shown;
        }
        int[] shortestFirst = IntStream.range(0, sets.size()).boxed()
                .sorted(Comparator.comparingInt(i -> lengths[i])).mapToInt(Integer::intValue).toArray();
        long left = most;
        for (int k = 0; k < shortestFirst.length; k++) {
            int i = shortestFirst[k];
            long share = left / (shortestFirst.length - k);
            if (lengths[i] > share) {
                shown.set(i, cut(whole.get(i), (int) Math.max(0, share)));
            }
            left -= shown.get(i).tasks() == null ? 0 : shown.get(i).tasks().toString().length();
        }
        return shown;
    }

    /** The set's first ranges that fit in {@code most} characters, at least one. */
    static Shown cut(ArrayIndexes set, int most) {
        String text = set.toString();
        if (text.length() <= most) {
            return new Shown(set, 0);
        }
        int end = text.lastIndexOf(',', most);
        if (end <= 0) {
            end = text.indexOf(',');
        }
        if (end < 0) {
            return new Shown(set, 0);
        }
        ArrayIndexes head = ArrayIndexes.parseAnswered(text.substring(0, end));
        return new Shown(head, set.count() - head.count());
    }

    /** What each of the first sets named leaves out, by the set's field; the sets left whole are not named. */
    static Map<String, Integer> omitted(List<AnsweredTaskSets.Shown> sets, String... names) {
        Map<String, Integer> omitted = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (sets.get(i).omitted() > 0) {
                omitted.put(names[i], sets.get(i).omitted());
            }
        }
        return omitted;
    }

    /**
     * A request's list as a reason may repeat it: whole, or its first ranges and its count ("1-3,5,... (812000
     * tasks)"), since 21 characters of steps ("0-999999:3,1-999999:3") name megabytes of ranges once read.
     */
    static String listed(ArrayIndexes tasks) {
        Shown head = cut(tasks, MOST_NAMED);
        return head.omitted() > 0 ? head.tasks() + ",... (" + tasks.count() + " tasks)" : tasks.toString();
    }

    /** "12_7", "12_[3-4]", or for a long set "12_[1-3,5,...] (812000 tasks)": a name a reason can repeat. */
    static String named(long arrayId, ArrayIndexes tasks) {
        if (tasks.count() == 1) {
            return arrayId + "_" + tasks;
        }
        Shown head = cut(tasks, MOST_NAMED);
        return arrayId + "_[" + head.tasks() + (head.omitted() > 0 ? ",...] (" + tasks.count() + " tasks)" : "]");
    }
}
