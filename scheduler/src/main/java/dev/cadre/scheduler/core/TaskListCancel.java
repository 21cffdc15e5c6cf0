package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * scancel 12_[0-2999]: the listed tasks of one array cancelled in one decision, as Slurm does in one RPC, where a
 * request per task took seconds for thousands. Listed tasks still pending in the array's record (or in a part of
 * it) never start: they leave the record together and end CANCELLED in one record that holds them unstarted, as
 * the array's record does when the whole array is cancelled (a row per task made 100,000 of them cost 7.6 s and
 * 430 MB under the scheduler's lock). Split-off pending tasks end too; running ones are killed. Tasks the array
 * does not have and tasks that have ended are answered as two lists, so that scancel reports each a range per line.
 */
final class TaskListCancel {
    private static final String REASON = "CancelledByUser";

    private final Clock clock;
    private final JobTable jobs;
    private final JobEndings endings;
    private final LongSupplier ids;
    private final BiFunction<JobRecord, JobState, Decisions> stop;
    /** Who asks, kept with every record the cancel ends; null when the request names nobody. */
    private final String user;

    TaskListCancel(Clock clock, JobTable jobs, JobEndings endings, LongSupplier ids,
            BiFunction<JobRecord, JobState, Decisions> stop, String user) {
        this.clock = clock;
        this.jobs = jobs;
        this.endings = endings;
        this.ids = ids;
        this.stop = stop;
        this.user = user;
    }

    JobControl.Outcome<ClientReply.CancelResult> cancel(long arrayId, ArrayIndexes tasks) {
        Decisions d = new Decisions();
        JobRecord array = jobs.get(arrayId);
        String other = elementOfAnother(arrayId, array, endings);
        if (other != null) {
            return new JobControl.Outcome<>(d, new ClientReply.CancelResult(arrayId, false, null, other));
        }
        BitSet listed = bits(tasks);
        BitSet unstarted = new BitSet();
        for (JobRecord holder : jobs.holdersOf(arrayId)) {
            ArraySplits.Listed here = ArraySplits.Listed.of(holder.array().pending(), listed, unstarted);
            if (!here.none()) {
                here.addTo(unstarted);
                cancelUnstarted(holder, here, d);
            }
        }
        BitSet cancelled = (BitSet) unstarted.clone();
        BitSet missing = new BitSet();
        BitSet ended = new BitSet();
        ArrayIndexes exist = taskIds(jobs, endings, arrayId, array);
        boolean stopping = false;
        BitSet rest = (BitSet) listed.clone();
        rest.andNot(unstarted);
        for (JobRecord j : unfinishedTasks(jobs, arrayId, rest)) {
            rest.clear(j.array().taskId());
            cancelled.set(j.array().taskId());
            switch (j.state()) {
                case PENDING, REQUEUED -> d.addAll(endings.cancelled(jobs, j, REASON, user));
                case RUNNING, SUSPENDED -> {
                    d.addAll(stop.apply(j, JobState.CANCELLED));
                    stopping = true;
                }
                default -> {
                    // Being requeued: the cancel wins, as for one task. Otherwise it is being stopped already.
                    if (j.reason().equals(JobState.REQUEUED.name())) {
                        d.addAll(stop.apply(j, JobState.CANCELLED));
                    }
                    stopping = true;
                }
            }
        }
        absent(rest, exist, ended, missing);
        List<AnsweredTaskSets.Shown> named = AnsweredTaskSets.shown(List.of(cancelled, missing, ended),
                AnsweredTaskSets.MOST_TEXT);
        boolean done = !cancelled.isEmpty();
        String why = done ? null : "no task of job " + arrayId + "_[" + AnsweredTaskSets.listed(tasks)
                + "] is pending or running";
        return new JobControl.Outcome<>(d, new ClientReply.CancelResult(arrayId, done, !done ? null
                : stopping ? JobState.COMPLETING : JobState.CANCELLED, why, named.get(0).tasks(),
                named.get(1).tasks(), named.get(2).tasks(),
                AnsweredTaskSets.omitted(named, "cancelled", "missing", "ended")));
    }

    /**
     * The listed tasks leave the record that holds them (the array's, or a part of it) in one part that ends
     * CANCELLED holding them, never started; a part whose tasks are all listed ends itself. When they are all the
     * array's own record holds, the highest is split off the usual way instead, so that the record itself becomes
     * it and ends as the array's last task, as it does when its tasks start one by one.
     */
    private void cancelUnstarted(JobRecord holder, ArraySplits.Listed listed, Decisions d) {
        Instant now = clock.instant();
        if (listed.all() && holder.id() != holder.array().arrayJobId()) {
            d.addAll(endings.cancelled(jobs, holder, REASON, user));
            return;
        }
        int[] in = listed.in();
        int last = listed.all() ? in[in.length - 1] : -1;
        int[] together = last >= 0 ? Arrays.copyOf(in, in.length - 1) : in;
        if (together.length > 0) {
            ArrayIndexes left = last >= 0 ? ArrayIndexes.ofSorted(new int[] {last}) : listed.out();
            JobRecord part = ArraySplits.part(holder, ArrayIndexes.ofSorted(together), left, ids, d, jobs, now);
            d.addAll(endings.cancelled(jobs, part, REASON, user));
        }
        if (last >= 0) {
            JobRecord task = ArraySplits.split(jobs.get(holder.id()), last, ids, d, jobs, now);
            d.addAll(endings.cancelled(jobs, task, REASON, user));
        }
    }

    /** The tasks the array has, from any of its unfinished records, or from the store once all have ended. */
    static ArrayIndexes taskIds(JobTable jobs, JobEndings endings, long arrayId, JobRecord array) {
        if (array != null && array.spec().hasArray()) {
            return array.spec().arraySpec().indexes();
        }
        return jobs.arrayParts(arrayId).stream().filter(p -> p.spec().hasArray()).findFirst()
                .map(p -> p.spec().arraySpec().indexes()).orElseGet(() -> endings.arrayTaskIds(arrayId));
    }

    /**
     * Why a task list cannot name this job, unfinished (the record given) or ended (stored): it is a task or a part
     * of another array (it shares the array's spec, so its own id would otherwise stand for the array's tasks); null
     * when it can. The request is then refused whole, with no task sets, as a job that is no array is.
     */
    static String elementOfAnother(long id, JobRecord record, JobEndings endings) {
        ArrayPart part = record != null ? record.array() : endings.storedArrayPart(id);
        if (part == null || part.arrayJobId() == id) {
            return null;
        }
        String shown = record != null ? record.displayId() : part.displayId("");
        return "job " + id + " is " + shown + ", of array " + part.arrayJobId() + ", not an array itself: name the"
                + " array's tasks as " + part.arrayJobId() + "_[...]";
    }

    /**
     * The array's unfinished records of single tasks among these, in task order: read from the array's own records,
     * not looked up for each of up to a million listed tasks.
     */
    static List<JobRecord> unfinishedTasks(JobTable jobs, long arrayId, BitSet tasks) {
        return jobs.arrayParts(arrayId).stream().filter(j -> j.array().taskId() != null
                && tasks.get(j.array().taskId()) && !j.state().isTerminal())
                .sorted(Comparator.comparingInt(j -> j.array().taskId())).toList();
    }

    /** Listed tasks that are no unfinished record: those the array has had (ended), and those it never had. */
    static void absent(BitSet tasks, ArrayIndexes exist, BitSet ended, BitSet missing) {
        // The array's listed tasks, found on its ranges: a list of pending tasks leaves none here, and the array
        // may have a million.
        BitSet had = new BitSet();
        if (exist != null && !tasks.isEmpty()) {
            for (int task : exist.selected(tasks, new BitSet())) {
                had.set(task);
            }
        }
        ended.or(had);
        BitSet never = (BitSet) tasks.clone();
        never.andNot(had);
        missing.or(never);
    }

    static BitSet bits(ArrayIndexes ids) {
        BitSet out = new BitSet(ids.max() + 1);
        for (PrimitiveIterator.OfInt each = ids.ids(); each.hasNext();) {
            out.set(each.nextInt());
        }
        return out;
    }

    static ArrayIndexes set(BitSet ids) {
        return ids.isEmpty() ? null : ArrayIndexes.ofSorted(ids.stream().toArray());
    }
}
