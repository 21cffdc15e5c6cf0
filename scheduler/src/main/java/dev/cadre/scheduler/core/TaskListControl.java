package dev.cadre.scheduler.core;

import static dev.cadre.scheduler.core.TaskListCancel.bits;
import static dev.cadre.scheduler.core.TaskListCancel.set;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * scontrol hold, uhold, release, requeue and requeuehold of 12_[1-5,9]: the listed tasks of one array changed in
 * one decision, as {@link TaskListCancel} cancels them, where a request per task took a round trip each. Each
 * listed task is answered: changed, missing (the array never had it), ended, or refused with its state and why
 * (a running task is not held, a pending one not requeued), so that scontrol reports each a range per line, as
 * scancel does. Listed tasks still pending in the array's record, or in a part of it an earlier list made, leave it
 * together as one part that changes as a whole (holding 12_[1-99999] makes one record, not 99,999); when they are
 * all the record holds, the record itself changes, as when the whole array is named.
 *
 * @param requeueRunning stops a running job to queue it again, held by its user when told to
 */
record TaskListControl(Clock clock, JobTable jobs, JobEndings endings, LongSupplier ids,
        BiFunction<JobRecord, Boolean, Decisions> requeueRunning) {
    static final String BOTH = "give taskId or tasks, not both";

    /** What the listed tasks came to, each in one of the sets. */
    private static final class Answer {
        final long arrayId;
        final BitSet changed = new BitSet();
        final BitSet missing = new BitSet();
        final BitSet ended = new BitSet();
        /** Refused tasks by state and why, in the order first met. */
        final Map<String, Refusal> refusals = new LinkedHashMap<>();

        Answer(long arrayId) {
            this.arrayId = arrayId;
        }

        /** The refused tasks of this state and why, to add to. */
        BitSet refused(JobState state, String problem) {
            return refusals.computeIfAbsent(state + " " + problem, k -> new Refusal(state, problem, new BitSet()))
                    .tasks;
        }

        /** A task that is not an unfinished record: one the array has had (ended), or never had (missing). */
        void absent(int task, ArrayIndexes exist) {
            (exist != null && exist.contains(task) ? ended : missing).set(task);
        }

        JobControl.Outcome<ClientReply.ControlResult> outcome(Decisions d, JobState shown, String nothing) {
            List<BitSet> sets = new ArrayList<>(List.of(changed, missing, ended));
            refusals.values().forEach(r -> sets.add(r.tasks));
            List<AnsweredTaskSets.Shown> named = AnsweredTaskSets.shown(sets, AnsweredTaskSets.MOST_TEXT);
            List<ClientReply.ControlResult.Refused> groups = new ArrayList<>();
            int g = 3;
            for (Refusal r : refusals.values()) {
                AnsweredTaskSets.Shown tasks = named.get(g++);
                groups.add(new ClientReply.ControlResult.Refused(tasks.tasks(), r.state, "job "
                        + AnsweredTaskSets.named(arrayId, set(r.tasks)) + " " + r.problem, tasks.omitted()));
            }
            boolean ok = !changed.isEmpty();
            String why = ok ? null : groups.isEmpty() ? nothing : groups.get(0).reason();
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(arrayId, ok, ok ? shown : null, why,
                    named.get(0).tasks(), named.get(1).tasks(), named.get(2).tasks(),
                    groups.isEmpty() ? null : groups, AnsweredTaskSets.omitted(named, "changed", "missing", "ended")));
        }
    }

    private record Refusal(JobState state, String problem, BitSet tasks) {
    }

    /** scontrol hold, uhold or release of the listed tasks: pending ones that the change's rule allows. */
    JobControl.Outcome<ClientReply.ControlResult> change(long arrayId, Integer taskId, ArrayIndexes tasks,
            PendingChange change) {
        if (taskId != null) {
            return bothGiven(arrayId);
        }
        Decisions d = new Decisions();
        Instant now = clock.instant();
        Answer a = new Answer(arrayId);
        BitSet listed = bits(tasks);
        JobRecord array = jobs.get(arrayId);
        BitSet unstarted = new BitSet();
        for (JobRecord holder : jobs.holdersOf(arrayId)) {
            BitSet here = bits(holder.array().pending());
            here.and(listed);
            if (here.isEmpty()) {
                continue;
            }
            unstarted.or(here);
            String problem = change.problem(holder);
            if (problem != null) {
                a.refused(JobState.PENDING, problem).or(here);
            } else {
                change.applyTo(splitOff(holder, here, now, d), now, jobs, d);
                a.changed.or(here);
            }
        }
        ArrayIndexes exist = TaskListCancel.taskIds(jobs, endings, arrayId, array);
        forEachRest(listed, unstarted, task -> {
            JobRecord j = jobs.task(arrayId, task);
            if (j == null || j.state().isTerminal()) {
                a.absent(task, exist);
                return;
            }
            String problem = j.state() != JobState.PENDING ? "is " + j.state() + "; only pending jobs can be "
                    + change.verb() : change.problem(j);
            if (problem != null) {
                a.refused(j.state(), problem).set(task);
            } else {
                change.applyTo(j, now, jobs, d);
                a.changed.set(task);
            }
        });
        return a.outcome(d, JobState.PENDING, nothing(arrayId, array, exist, tasks, "pending"));
    }

    /** scontrol requeue or requeuehold of the listed tasks: running ones are stopped and queued again. */
    JobControl.Outcome<ClientReply.ControlResult> requeue(long arrayId, Integer taskId, ArrayIndexes tasks,
            boolean hold) {
        if (taskId != null) {
            return bothGiven(arrayId);
        }
        Decisions d = new Decisions();
        Answer a = new Answer(arrayId);
        BitSet listed = bits(tasks);
        JobRecord array = jobs.get(arrayId);
        BitSet unstarted = unstarted(jobs, arrayId, listed);
        String onlyRunning = "; only a running job can be requeued";
        if (!unstarted.isEmpty()) {
            a.refused(JobState.PENDING, "is PENDING" + onlyRunning).or(unstarted);
        }
        ArrayIndexes exist = TaskListCancel.taskIds(jobs, endings, arrayId, array);
        forEachRest(listed, unstarted, task -> {
            JobRecord j = jobs.task(arrayId, task);
            if (j == null || j.state().isTerminal()) {
                a.absent(task, exist);
            } else if (j.state() != JobState.RUNNING) {
                a.refused(j.state(), "is " + j.state() + onlyRunning).set(task);
            } else {
                d.addAll(requeueRunning.apply(j, hold));
                a.changed.set(task);
            }
        });
        return a.outcome(d, JobState.COMPLETING, nothing(arrayId, array, exist, tasks, "running"));
    }

    private static JobControl.Outcome<ClientReply.ControlResult> bothGiven(long jobId) {
        return new JobControl.Outcome<>(new Decisions(), new ClientReply.ControlResult(jobId, false, null, BOTH));
    }

    /** The listed tasks still pending inside the array's own record or its parts. */
    private static BitSet unstarted(JobTable jobs, long arrayId, BitSet listed) {
        BitSet unstarted = new BitSet();
        jobs.holdersOf(arrayId).forEach(holder -> unstarted.or(bits(holder.array().pending())));
        unstarted.and(listed);
        return unstarted;
    }

    private static void forEachRest(BitSet listed, BitSet unstarted, IntConsumer each) {
        BitSet rest = (BitSet) listed.clone();
        rest.andNot(unstarted);
        rest.stream().forEach(each);
    }

    /**
     * The listed pending tasks of a record as one record: the record itself when they are all it holds, else a part
     * split off it, the record keeping the rest.
     */
    private JobRecord splitOff(JobRecord holder, BitSet listed, Instant now, Decisions d) {
        BitSet left = bits(holder.array().pending());
        left.andNot(listed);
        return left.isEmpty() ? holder : ArraySplits.part(holder, set(listed), set(left), ids, d, jobs, now);
    }

    /** Why nothing changed when no listed task was refused: none is there, or the job is no array. */
    private String nothing(long arrayId, JobRecord array, ArrayIndexes exist, ArrayIndexes tasks, String what) {
        String other = TaskListCancel.elementOfAnother(arrayId, array);
        if (other != null) {
            return other;
        }
        if (array != null && array.array() == null) {
            return "job " + arrayId + " is not an array job, so it has no task " + tasks;
        }
        if (array == null && exist == null && !jobs.hasArrayParts(arrayId)) {
            return "job " + arrayId + " is unknown or already finished";
        }
        return "no task of job " + arrayId + "_[" + tasks + "] is " + what;
    }
}
