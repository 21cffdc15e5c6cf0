package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-task side of aftercorr: which pending tasks of a dependent array (held together in its record, or in
 * parts) may start because their partners completed, and which never can because their partners ended otherwise.
 * Kept per dependent array and brought up to date from the ends of the arrays it names ({@link EndedJobs.EndLog}):
 * a task is judged when it is first seen (the first pass after a submission or a restart judges them all, once)
 * and again only when its partner ends, so a pass over a large array with nothing new costs what its ready tasks do.
 * Tasks that the named job lacks wait on the whole job (afterok) and are judged again whenever it changes. One
 * watch per dependent array: records of it whose dependency differs (a part given another by scontrol update) make
 * it start over when met, correct but dearer.
 */
final class CorrespondingTasks {
    /**
     * @param ready how many of the record's tasks may start as far as aftercorr goes
     * @param never the record's tasks whose aftercorr can never hold, lowest first; empty when they wait instead
     */
    record Verdict(int ready, int[] never) {
    }

    private final JobTable jobs;
    private final EndedJobs ended;
    private final DependencyCheck check;
    private final Map<Long, Watch> watches = new HashMap<>();
    /** The jobs whose ends {@link EndedJobs} logs for the watches. */
    private final Set<Long> logged = new HashSet<>();

    private record ReadyCount(ArrayIndexes pending, int changes, int ready) {
    }

    /** One dependent array's tasks as judged so far; tasks not in any set wait on their partners' ends. */
    private static final class Watch {
        final String dependency;
        final Dependencies deps;
        final Map<Long, EndedJobs.EndLog> logs = new HashMap<>();
        final Map<Long, Integer> read = new HashMap<>();
        final Map<Long, Long> seen = new HashMap<>();
        final TreeSet<Integer> ready = new TreeSet<>();
        final TreeSet<Integer> never = new TreeSet<>();
        /** Waiting tasks that some named job does not have: they follow that whole job, judged when it changes. */
        final TreeSet<Integer> onWholeJob = new TreeSet<>();
        /** The last count of ready tasks per record, with the pending set and the change it was taken on. */
        final Map<Long, ReadyCount> counted = new HashMap<>();
        /** Grows with every change of the ready set. */
        int changes;

        Watch(String dependency, Dependencies deps) {
            this.dependency = dependency;
            this.deps = deps;
        }
    }

    CorrespondingTasks(JobTable jobs, EndedJobs ended, DependencyCheck check) {
        this.jobs = jobs;
        this.ended = ended;
        this.check = check;
    }

    /**
     * The holder's tasks as far as aftercorr goes, up to date with the ends since the last pass.
     *
     * @param neverCounts false when a task whose aftercorr can never hold still waits ('?' with another condition
     *        still waiting)
     */
    Verdict judge(JobRecord holder, Dependencies deps, boolean neverCounts, Instant now) {
        long array = holder.array().arrayJobId();
        Watch w = watches.get(array);
        if (w == null || !w.dependency.equals(holder.spec().dependency())) {
            w = watch(array, holder.spec().dependency(), deps, now);
        } else {
            refresh(array, w, now);
        }
        ArrayIndexes pending = holder.array().pending();
        int ready = readyIn(w, holder.id(), pending);
        if (!neverCounts || w.never.isEmpty()) {
            return new Verdict(ready, new int[0]);
        }
        List<Integer> never = new ArrayList<>();
        for (int task : w.never) {
            if (pending.contains(task)) {
                never.add(task);
            }
        }
        return new Verdict(ready, never.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Takes the lowest task of the holder that may start, for a placement; -1 when none is left. Tasks that left
     * the array's pending records another way (a request split them off) are dropped as they are met.
     */
    int takeReady(JobRecord holder) {
        Watch w = watches.get(holder.array().arrayJobId());
        if (w == null) {
            return -1;
        }
        ArrayIndexes pending = holder.array().pending();
        for (Iterator<Integer> it = w.ready.iterator(); it.hasNext(); ) {
            int task = it.next();
            if (pending.contains(task)) {
                it.remove();
                w.changes++;
                return task;
            }
            if (jobs.holding(holder.array().arrayJobId(), task) == null) {
                it.remove();
                w.changes++;
            }
        }
        return -1;
    }

    /** The task has left its array's pending records (split off to be cancelled or kept apart). */
    void left(long arrayJobId, int task) {
        Watch w = watches.get(arrayJobId);
        if (w != null) {
            w.changes += w.ready.remove(task) ? 1 : 0;
            w.never.remove(task);
            w.onWholeJob.remove(task);
        }
    }

    /** Forgets the dependent arrays with no pending records left, and stops logging the ends nobody reads. */
    void forgetFinished() {
        if (watches.isEmpty()) {
            return;
        }
        watches.keySet().removeIf(array -> jobs.holdersOf(array).isEmpty());
        Set<Long> named = new HashSet<>();
        watches.values().forEach(w -> named.addAll(w.logs.keySet()));
        for (Long target : List.copyOf(logged)) {
            if (!named.contains(target)) {
                ended.unwatch(target);
                logged.remove(target);
            }
        }
    }

    /** Starts watching: logs the named jobs' ends from now on, then judges every pending task once. */
    private Watch watch(long array, String text, Dependencies deps, Instant now) {
        Watch w = new Watch(text, deps);
        for (Dependencies.Condition c : deps.conditions()) {
            if (c.type() == Dependencies.Type.AFTERCORR && !w.logs.containsKey(c.jobId())) {
                EndedJobs.EndLog log = ended.watch(c.jobId());
                logged.add(c.jobId());
                w.logs.put(c.jobId(), log);
                w.read.put(c.jobId(), log.size());
                w.seen.put(c.jobId(), log.version());
            }
        }
        watches.put(array, w);
        for (JobRecord h : jobs.holdersOf(array)) {
            h.array().pending().ids().forEachRemaining((int task) -> judge(w, task, now));
        }
        return w;
    }

    /** Judges again the tasks whose partners ended since the last look, and those that follow a changed whole job. */
    private void refresh(long array, Watch w, Instant now) {
        boolean changed = false;
        for (var e : w.logs.entrySet()) {
            EndedJobs.EndLog log = e.getValue();
            long target = e.getKey();
            if (log.version() == w.seen.get(target)) {
                continue;
            }
            changed = true;
            w.seen.put(target, log.version());
            int from = w.read.get(target);
            for (int i = from; i < log.size(); i++) {
                int task = log.get(i);
                if (!w.ready.contains(task) && !w.never.contains(task) && jobs.holding(array, task) != null) {
                    judge(w, task, now);
                }
            }
            w.read.put(target, log.size());
        }
        if (changed && !w.onWholeJob.isEmpty()) {
            for (int task : List.copyOf(w.onWholeJob)) {
                if (jobs.holding(array, task) == null) {
                    w.onWholeJob.remove(task);
                } else {
                    judge(w, task, now);
                }
            }
        }
    }

    private void judge(Watch w, int task, Instant now) {
        switch (check.ofTask(w.deps, task, now)) {
            case SATISFIED -> {
                w.ready.add(task);
                w.changes++;
                w.onWholeJob.remove(task);
            }
            case NEVER -> {
                w.never.add(task);
                w.onWholeJob.remove(task);
            }
            default -> {
                boolean unpaired = w.logs.keySet().stream().anyMatch(target -> !check.pairs(target, task));
                if (unpaired) {
                    w.onWholeJob.add(task);
                }
            }
        }
    }

    /**
     * How many ready tasks the record holds, counted again only when its pending tasks or the ready set changed:
     * a full cluster's passes over a record with many ready tasks then cost nothing each.
     */
    private static int readyIn(Watch w, long holderId, ArrayIndexes pending) {
        ReadyCount last = w.counted.get(holderId);
        if (last != null && last.pending() == pending && last.changes() == w.changes) {
            return last.ready();
        }
        int n = 0;
        for (int task : w.ready) {
            if (pending.contains(task)) {
                n++;
            }
        }
        w.counted.put(holderId, new ReadyCount(pending, w.changes, n));
        return n;
    }
}
