package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ranges of an {@link ArrayIndexes} from ids: consecutive ids an equal step apart become one range when
 * there are at least three of them (or they are adjacent), so that a set keeps the same text however it was made.
 */
final class TaskRangeRuns {
    private TaskRangeRuns() {
    }

    /** Rebuilds ranges from sorted distinct ids, joining runs of an equal step. */
    static List<TaskRange> fromSorted(int[] ids) {
        List<TaskRange> out = new ArrayList<>();
        int i = 0;
        while (i < ids.length) {
            int start = ids[i];
            if (i + 1 == ids.length) {
                out.add(new TaskRange(start, start, 1));
                break;
            }
            int step = ids[i + 1] - start;
            int j = i + 1;
            while (j + 1 < ids.length && ids[j + 1] - ids[j] == step) {
                j++;
            }
            if (j - i >= 2 || step == 1) {
                out.add(new TaskRange(start, ids[j], step));
                i = j + 1;
            } else {
                out.add(new TaskRange(start, start, 1));
                i++;
            }
        }
        return out;
    }

    /**
     * What {@link #fromSorted} makes of the ids of these sorted, disjoint ranges, without listing the ids: the
     * gaps between consecutive ids, as runs of equal gaps, are walked a run at a time with the same greedy rule.
     */
    static List<TaskRange> regrouped(List<TaskRange> sorted) {
        if (sorted.isEmpty()) {
            return List.of();
        }
        int[] gap = new int[2 * sorted.size()];
        int[] times = new int[2 * sorted.size()];
        int runs = 0;
        Integer previousEnd = null;
        for (TaskRange r : sorted) {
            if (previousEnd != null) {
                runs = addGaps(gap, times, runs, r.start() - previousEnd, 1);
            }
            if (r.count() > 1) {
                runs = addGaps(gap, times, runs, r.step(), r.count() - 1);
            }
            previousEnd = r.end();
        }
        List<TaskRange> out = new ArrayList<>();
        int at = sorted.get(0).start();
        int run = 0;
        int used = 0;
        while (run < runs) {
            int step = gap[run];
            int left = times[run] - used;
            if (left >= 2 || step == 1) {
                int end = at + step * left;
                out.add(new TaskRange(at, end, step));
                run++;
                used = 0;
                if (run == runs) {
                    return out;
                }
                // The id after the range starts the next search.
                at = end + gap[run];
                used = 1;
                if (used == times[run]) {
                    run++;
                    used = 0;
                }
            } else {
                out.add(new TaskRange(at, at, 1));
                at += step;
                run++;
                used = 0;
            }
        }
        out.add(new TaskRange(at, at, 1));
        return out;
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
}
