package dev.cadre.scheduler.core;

import static dev.cadre.scheduler.core.TaskListCancel.bits;
import static dev.cadre.scheduler.core.TaskListCancel.set;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * scontrol hold, uhold, release, requeue and requeuehold of 12_[1-5,9]: the listed tasks of one array changed in
 * one decision, as {@link TaskListCancel} cancels them, where a request per task took a round trip each. Each
 * listed task is answered: changed, missing (the array never had it), ended, or refused with its state and why
 * (a running task is not held, a pending one not requeued), so that scontrol reports each a range per line, as
 * scancel does. Listed tasks still pending in the array's record, or in a part of it an earlier list made, leave it
 * together as one part that changes as a whole (holding 12_[1-99999] makes one record, not 99,999), or join a part
 * already as they are to be, so that lists held and released in turn do not split the array further and further;
 * when they are all the record holds, the record itself changes, as when the whole array is named.
 *
 * @param requeueRunning stops a running job to queue it again, held by its user when told to
 */
record TaskListControl(Clock clock, JobTable jobs, JobEndings endings, LongSupplier ids,
        BiFunction<JobRecord, Boolean, Decisions> requeueRunning) {
    static final String BOTH = "give taskId or tasks, not both";
    /** Most records an array's pending tasks may be held in: its own and its parts. */
    static final int MOST_PARTS = 1_000;

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
        String refusal = TaskListCancel.elementOfAnother(arrayId, array, endings);
        refusal = refusal != null ? refusal : crowded(arrayId, listed, change, now);
        if (refusal != null) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(arrayId, false, null, refusal));
        }
        BitSet unstarted = new BitSet();
        // Read afresh each time: an earlier holder's tasks may have joined this one.
        for (long id : jobs.holdersOf(arrayId).stream().map(JobRecord::id).toList()) {
            JobRecord holder = jobs.get(id);
            ArraySplits.Listed here = ArraySplits.Listed.of(holder.array().pending(), listed, unstarted);
            if (here.none()) {
                continue;
            }
            here.addTo(unstarted);
            String problem = change.problem(holder);
            if (problem != null) {
                here.addTo(a.refused(JobState.PENDING, problem));
            } else {
                here.addTo(a.changed);
                changeListed(holder, here, change, now, d);
            }
        }
        if (!d.isEmpty()) {
            ArraySplits.coalesce(arrayId, jobs, d, now);
        }
        ArrayIndexes exist = TaskListCancel.taskIds(jobs, endings, arrayId, array);
        forEachRest(arrayId, listed, unstarted, exist, a, j -> {
            int task = j.array().taskId();
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
        String other = TaskListCancel.elementOfAnother(arrayId, array, endings);
        if (other != null) {
            return new JobControl.Outcome<>(d, new ClientReply.ControlResult(arrayId, false, null, other));
        }
        BitSet unstarted = unstarted(jobs, arrayId, listed);
        String onlyRunning = "; only a running job can be requeued";
        if (!unstarted.isEmpty()) {
            a.refused(JobState.PENDING, "is PENDING" + onlyRunning).or(unstarted);
        }
        ArrayIndexes exist = TaskListCancel.taskIds(jobs, endings, arrayId, array);
        forEachRest(arrayId, listed, unstarted, exist, a, j -> {
            if (j.state() != JobState.RUNNING && j.state() != JobState.SUSPENDED) {
                a.refused(j.state(), "is " + j.state() + onlyRunning).set(j.array().taskId());
            } else {
                // A suspended task is held, as Slurm holds a suspended job it requeues.
                d.addAll(requeueRunning.apply(j, hold || j.state() == JobState.SUSPENDED));
                a.changed.set(j.array().taskId());
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
        jobs.holdersOf(arrayId).forEach(h -> ArraySplits.Listed.of(h.array().pending(), listed, unstarted)
                .addTo(unstarted));
        return unstarted;
    }

    /**
     * Hands over each listed task not pending in a holder that has an unfinished record of its own, in task order,
     * and answers the others as ended or missing.
     */
    private void forEachRest(long arrayId, BitSet listed, BitSet unstarted, ArrayIndexes exist, Answer a,
            Consumer<JobRecord> each) {
        BitSet rest = (BitSet) listed.clone();
        rest.andNot(unstarted);
        for (JobRecord j : TaskListCancel.unfinishedTasks(jobs, arrayId, rest)) {
            rest.clear(j.array().taskId());
            each.accept(j);
        }
        TaskListCancel.absent(rest, exist, a.ended, a.missing);
    }

    /**
     * Changes the listed pending tasks of a record: nothing when they are already so (a hold of held tasks); the
     * record itself when they are all it holds; else they join another record of the array's pending tasks that is
     * already as they are to be, or, when none is, leave together as a new part, the record keeping the rest.
     */
    private void changeListed(JobRecord holder, ArraySplits.Listed here, PendingChange change, Instant now,
            Decisions d) {
        JobSpec to = change.change().apply(holder.spec());
        if (to.equals(holder.spec())) {
            return;
        }
        JobRecord joined = here.all() ? null : holderOf(holder.array().arrayJobId(), to, holder.id(), now);
        if (joined != null) {
            ArraySplits.move(holder, here, joined, jobs, d, now);
        } else {
            change.applyTo(here.all() ? holder : ArraySplits.part(holder, ArrayIndexes.ofSorted(here.in()),
                    here.out(), ids, d, jobs, now), now, jobs, d);
        }
    }

    /** A record of the array's pending tasks, other than the one given, whose spec is this; null when none is. */
    private JobRecord holderOf(long arrayId, JobSpec spec, long other, Instant now) {
        return jobs.holdersOf(arrayId).stream().filter(h -> h.id() != other && ArraySplits.joinable(h, now)
                && h.spec().equals(spec)).findFirst().orElse(null);
    }

    /**
     * Why the list is refused whole: the array would be held in more than {@link #MOST_PARTS} records of pending
     * tasks, each of which every list, pass and lookup of a task reads. Records that come to be alike are joined
     * after the change ({@link ArraySplits#coalesce}), so only records that differ count, and lists of held and
     * released tasks rarely come near it. Null when it may go ahead.
     */
    private String crowded(long arrayId, BitSet listed, PendingChange change, Instant now) {
        List<JobRecord> holders = jobs.holdersOf(arrayId);
        Set<JobSpec> have = new HashSet<>();
        int held = 0;
        for (JobRecord h : holders) {
            if (ArraySplits.joinable(h, now)) {
                have.add(h.spec());
            } else {
                held++;
            }
        }
        // A new part split from a joinable holder joins the others of its spec, so there are at most as many as
        // their specs; one from a holder kept back to a later time (its parts inherit that) is never joined.
        if (holders.size() + have.size() + held <= MOST_PARTS) {
            return null;
        }
        Set<JobSpec> after = new HashSet<>();
        int apart = 0;
        BitSet none = new BitSet();
        for (JobRecord h : holders) {
            ArraySplits.Listed here = ArraySplits.Listed.of(h.array().pending(), listed, none);
            boolean changes = !here.none() && change.problem(h) == null;
            if (!ArraySplits.joinable(h, now)) {
                apart += changes && !here.all() ? 2 : 1;
                continue;
            }
            if (!changes || !here.all()) {
                after.add(h.spec());
            }
            if (changes) {
                after.add(change.change().apply(h.spec()));
            }
        }
        int records = after.size() + apart;
        return records <= MOST_PARTS ? null : "job " + arrayId + " is already split into " + holders.size()
                + " records of pending tasks that differ by earlier task lists, and this one would make " + records
                + ", more than " + MOST_PARTS + ": name whole parts of it (squeue shows each as " + arrayId
                + "_[...]), or the whole array";
    }

    /** Why nothing changed when no listed task was refused: none is there, or the job is no array. */
    private String nothing(long arrayId, JobRecord array, ArrayIndexes exist, ArrayIndexes tasks, String what) {
        if (array != null && array.array() == null) {
            return "job " + arrayId + " is not an array job, so it has no task " + AnsweredTaskSets.listed(tasks);
        }
        if (array == null && exist == null && !jobs.hasArrayParts(arrayId)) {
            return "job " + arrayId + " is unknown or already finished";
        }
        return "no task of job " + arrayId + "_[" + AnsweredTaskSets.listed(tasks) + "] is " + what;
    }
}
