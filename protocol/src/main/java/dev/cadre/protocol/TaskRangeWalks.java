package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a task list does to the ranges of an {@link ArrayIndexes} (sorted, never interleaved), worked out on the
 * ranges rather than on every id they hold: a record of a million tasks then costs the list and its ranges.
 */
final class TaskRangeWalks {
    private TaskRangeWalks() {
    }

    /**
     * The ids in the ranges that are listed and not skipped, ascending. One cursor into the list goes up across the
     * ranges, so no part of the list is scanned twice however many ranges there are.
     */
    static int[] selected(List<TaskRange> ranges, BitSet listed, BitSet skipped) {
        IntStream.Builder out = IntStream.builder();
        int next = ranges.isEmpty() ? -1 : listed.nextSetBit(ranges.get(0).start());
        for (int at = 0; at < ranges.size() && next >= 0; at++) {
            TaskRange r = ranges.get(at);
            if (next < r.start()) {
                next = listed.nextSetBit(r.start());
            }
            if (next < 0 || next > r.end()) {
                continue;
            }
            if (r.step() == 1) {
                for (; next >= 0 && next <= r.end(); next = listed.nextSetBit(next + 1)) {
                    if (!skipped.get(next)) {
                        out.add(next);
                    }
                }
            } else {
                for (int i = r.start(); i <= r.end(); i += r.step()) {
                    if (listed.get(i) && !skipped.get(i)) {
                        out.add(i);
                    }
                }
                next = listed.nextSetBit(r.end() + 1);
            }
        }
        return out.build().toArray();
    }

    /** The ranges without these ids (sorted, distinct, all in them), regrouped as {@link TaskRangeRuns} groups. */
    static List<TaskRange> without(List<TaskRange> ranges, int[] dropped) {
        List<TaskRange> kept = new ArrayList<>(ranges.size() + dropped.length);
        int next = 0;
        for (TaskRange r : ranges) {
            int from = r.start();
            for (; next < dropped.length && dropped[next] <= r.end(); next++) {
                if (dropped[next] > from) {
                    kept.add(new TaskRange(from, dropped[next] - r.step(), r.step()));
                }
                from = dropped[next] + r.step();
            }
            if (from <= r.end()) {
                kept.add(new TaskRange(from, r.end(), r.step()));
            }
        }
        return TaskRangeRuns.regrouped(kept);
    }
}
