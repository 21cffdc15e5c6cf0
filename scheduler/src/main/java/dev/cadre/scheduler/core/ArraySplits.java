package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Takes tasks out of a record of an array's pending tasks (the array's own record, or a part of them a task-list
 * hold made), as Slurm does: a task becomes a record of its own with a new job id and the array's spec (stored by
 * reference, not copied), and the record keeps the rest. The last task takes the record itself, so the array's id
 * stays a real job to the end. Listed tasks leave together, as one part.
 */
final class ArraySplits {
    private ArraySplits() {
    }

    /**
     * Splits off the lowest pending task of the record, ready to start. Unlike a request's split, the record left is
     * not announced: a pass starts tasks by the thousand, and each task's own events say that it left.
     */
    static JobRecord next(JobRecord holder, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        return split(holder, holder.array().pending().min(), ids, d, jobs, now, false);
    }

    /** As {@link #next} above, for a given pending task the caller chose (aftercorr: the lowest ready one). */
    static JobRecord next(JobRecord holder, int taskId, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        return split(holder, taskId, ids, d, jobs, now, false);
    }

    /**
     * Splits off the given pending task for a request; the caller has checked that the record holds it. The record
     * left holding the rest is announced (job-updated): its range, as squeue shows it, changed.
     */
    static JobRecord split(JobRecord holder, int taskId, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        return split(holder, taskId, ids, d, jobs, now, true);
    }

    private static JobRecord split(JobRecord holder, int taskId, LongSupplier ids, Decisions d, JobTable jobs,
            Instant now, boolean announced) {
        ArrayIndexes pending = holder.array().pending();
        long arrayId = holder.array().arrayJobId();
        if (pending.count() == 1) {
            JobRecord last = holder.withArray(new ArrayPart(arrayId, taskId, null));
            jobs.put(last);
            d.change(new JobChange(last, holder.state(), now, null));
            return last;
        }
        ArrayIndexes rest = taskId == pending.min() ? pending.withoutFirst() : pending.without(taskId);
        JobRecord kept = keep(holder, rest, jobs, d, now);
        if (announced) {
            d.retasked(kept);
        }
        JobRecord task = holder.splitTask(ids.getAsLong(), taskId);
        jobs.put(task);
        d.insert(task);
        if (holder.id() != arrayId) {
            // A task row stores no spec and reads the array's, which a part's (held, released) may differ from.
            d.respec(task);
        }
        return task;
    }

    /**
     * Splits off some of the record's pending tasks, not all, together into a new part that holds them; it is stored
     * as is, for the caller to change, start from or end. The record left holding the rest is announced.
     */
    static JobRecord part(JobRecord holder, ArrayIndexes tasks, ArrayIndexes rest, LongSupplier ids, Decisions d,
            JobTable jobs, Instant now) {
        d.retasked(keep(holder, rest, jobs, d, now));
        JobRecord part = holder.splitPart(ids.getAsLong(), tasks);
        jobs.put(part);
        d.insert(part);
        if (holder.id() != holder.array().arrayJobId()) {
            d.respec(part);
        }
        return part;
    }

    /**
     * Moves some of a record's pending tasks, not all, into another record of the same array's pending tasks, one
     * already as they are to be (held, released): a list then joins a part instead of making one more. Neither
     * record's state or spec changes, so each is announced by a job-updated: their ids as squeue shows them
     * ({@code 12_[3-5]}) did.
     */
    static void move(JobRecord from, Listed tasks, JobRecord into, JobTable jobs, Decisions d, Instant now) {
        d.retasked(keep(from, tasks.out(), jobs, d, now));
        d.retasked(keep(into, ArrayIndexes.unionOfDisjoint(List.of(into.array().pending(),
                ArrayIndexes.ofSorted(tasks.in()))), jobs, d, now));
    }

    /**
     * Joins the array's records of pending tasks that have become alike (a part released, now as the array's own
     * record is; two parts held alike): each group's tasks go into its lowest id, the array's own record when it is
     * one of them, and the others are dropped. Lists held and released in turn then come back to the same few
     * records, and the bound on them counts only records that differ. Tasks keep the eligible time of the record
     * they join (sacct's Eligible); a record held back to a later time than now is left as it is.
     */
    static void coalesce(long arrayId, JobTable jobs, Decisions d, Instant now) {
        Map<JobSpec, List<JobRecord>> alike = new LinkedHashMap<>();
        for (JobRecord h : jobs.holdersOf(arrayId)) {
            if (joinable(h, now)) {
                alike.computeIfAbsent(h.spec(), k -> new ArrayList<>()).add(h);
            }
        }
        for (List<JobRecord> group : alike.values()) {
            if (group.size() > 1) {
                join(group, jobs, d, now);
            }
        }
    }

    /** Whether a record of pending tasks may take in, or give up, tasks of a record alike. */
    static boolean joinable(JobRecord holder, Instant now) {
        return holder.state() == JobState.PENDING
                && (holder.eligibleTime() == null || !holder.eligibleTime().isAfter(now));
    }

    /** The group's tasks into its first (lowest id) record, announced; the others dropped. */
    private static void join(List<JobRecord> group, JobTable jobs, Decisions d, Instant now) {
        // Records of one array hold disjoint tasks.
        ArrayIndexes all = ArrayIndexes.unionOfDisjoint(group.stream().map(h -> h.array().pending()).toList());
        for (JobRecord emptied : group.subList(1, group.size())) {
            jobs.remove(emptied.id());
            d.drop(emptied, group.get(0));
        }
        d.retasked(keep(group.get(0), all, jobs, d, now));
    }

    /**
     * A record's pending tasks split by a task list: those listed and not yet handled by the request, and the rest.
     * Found on the record's ranges, not by walking its tasks or with a bitset as long as its highest id: a record may
     * hold a million tasks, and an array's parts a few tasks with ids in the millions each.
     */
    record Listed(int[] in, ArrayIndexes out) {
        static Listed of(ArrayIndexes pending, BitSet listed, BitSet handled) {
            int[] in = pending.selected(listed, handled);
            // A record the list does not touch is skipped by every caller: its rest is not regrouped.
            return new Listed(in, in.length == 0 ? pending : pending.withoutSorted(in));
        }

        boolean none() {
            return in.length == 0;
        }

        /** Whether every pending task of the record is listed. */
        boolean all() {
            return out.count() == 0;
        }

        /** Adds the listed tasks to the set, and returns it. */
        BitSet addTo(BitSet set) {
            for (int task : in) {
                set.set(task);
            }
            return set;
        }
    }

    private static JobRecord keep(JobRecord holder, ArrayIndexes rest, JobTable jobs, Decisions d, Instant now) {
        JobRecord kept = holder.withArray(new ArrayPart(holder.array().arrayJobId(), null, rest));
        jobs.put(kept);
        d.change(new JobChange(kept, JobState.PENDING, now, null));
        return kept;
    }
}
