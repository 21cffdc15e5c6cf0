package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.NamedJobs;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.Dependencies.Condition;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.DependencyStatus.Named;
import dev.cadre.protocol.DependencyStatus.State;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How far pending jobs' dependencies have come, as REST's job views show them ({@code dependencyStatus}): each
 * condition judged by the scheduler's own rule ({@link DependencyStatus#judge}) from what SQLite holds, the jobs a
 * whole page names read together ({@link NamedJobs}). The named job is looked for as the scheduler looks for it in
 * memory and its history. Only a pending job has one: Slurm shows a started or ended job's dependency as (null).
 */
final class DependencyStatuses {
    private final JobStore jobs;
    private final Clock clock;

    DependencyStatuses(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** By job id, for the pending jobs of the page that have a dependency. */
    Map<Long, DependencyStatus> of(List<JobRecord> page) {
        Map<JobRecord, Dependencies> waiting = new LinkedHashMap<>();
        for (JobRecord j : page) {
            if (j.state() == JobState.PENDING && j.spec().dependency() != null) {
                try {
                    waiting.put(j, Dependencies.parse(j.spec().dependency()));
                } catch (IllegalArgumentException e) {
                    // Stored before its syntax was checked as it is now: the raw dependency still shows it.
                }
            }
        }
        if (waiting.isEmpty()) {
            return Map.of();
        }
        Set<Long> ids = new HashSet<>();
        Set<Integer> tasks = new HashSet<>();
        Set<String> names = new HashSet<>();
        waiting.forEach((j, deps) -> deps.conditions().forEach(c -> {
            if (c.type() == Dependencies.Type.SINGLETON) {
                names.add(name(j));
                return;
            }
            ids.add(c.jobId());
            if (c.taskId() != null) {
                tasks.add(c.taskId());
            }
            if (c.type() == Dependencies.Type.AFTERCORR && j.arrayTaskId() != null) {
                tasks.add(j.arrayTaskId());
            }
        }));
        NamedJobs named = jobs.history().named(ids, tasks, names);
        Instant now = clock.instant();
        Map<Long, DependencyStatus> out = new LinkedHashMap<>();
        waiting.forEach((j, deps) -> {
            List<DependencyStatus.Term> terms = new ArrayList<>();
            for (Condition c : deps.conditions()) {
                terms.add(new DependencyStatus.Term(DependencyStatus.term(c, named.arrayStates()
                        .containsKey(c.jobId())), state(j, c, named, now)));
            }
            out.put(j.id(), DependencyStatus.of(terms, deps.anyOne()));
        });
        return out;
    }

    /** The status of one pending job; null when it has none (see {@link #of}). */
    DependencyStatus of(JobRecord j) {
        return of(List.of(j)).get(j.id());
    }

    private static State state(JobRecord j, Condition c, NamedJobs named, Instant now) {
        if (c.type() == Dependencies.Type.SINGLETON) {
            for (JobRecord other : named.unfinishedByName()) {
                if (other.user().equals(j.user()) && name(other).equals(name(j))
                        && DependencyStatus.singletonWaitsOn(j.id(), other.id(), other.state())) {
                    return State.UNFULFILLED;
                }
            }
            return State.FULFILLED;
        }
        if (c.type() != Dependencies.Type.AFTERCORR) {
            return DependencyStatus.judge(c, named(c, named), now);
        }
        boolean holdsTasks = j.array() != null && j.array().pending() != null;
        Condition partner = DependencyStatus.partner(c, holdsTasks ? null : j.arrayTaskId(),
                (array, task) -> pairs(named, array, task));
        State s = DependencyStatus.judge(partner, named(partner, named), now);
        return holdsTasks ? DependencyStatus.forUnstartedTasks(s) : s;
    }

    /** What the job, task or array the condition names has come to; null when no such job is stored. */
    private static Named named(Condition c, NamedJobs named) {
        List<JobRecord> rows = named.arrayRows().getOrDefault(c.jobId(), List.of());
        if (c.taskId() != null) {
            int task = c.taskId();
            Predicate<JobRecord> own = r -> r.array().taskId() != null && r.array().taskId() == task;
            Predicate<JobRecord> holds = r -> r.array().pending() != null && r.array().pending().contains(task);
            JobRecord unfinished = first(rows, own.or(holds), false);
            if (unfinished != null) {
                return Named.unfinished(unfinished);
            }
            JobRecord ran = first(rows, own, true);
            if (ran != null) {
                return Named.ended(ran.state(), ran.startTime(), ran.endTime());
            }
            // Ended unstarted, with the record that held it (a cancel of the array or of a task list).
            JobRecord held = first(rows, holds, true);
            return held == null ? null : Named.ended(held.state(), null, held.endTime());
        }
        Set<JobState> states = named.arrayStates().get(c.jobId());
        if (states != null) {
            return Named.array(rows.stream().filter(r -> !r.state().isTerminal()).toList(), states);
        }
        JobRecord j = named.jobs().get(c.jobId());
        if (j == null) {
            return null;
        }
        return j.state().isTerminal() ? Named.ended(j.state(), j.startTime(), j.endTime()) : Named.unfinished(j);
    }

    private static JobRecord first(List<JobRecord> rows, Predicate<JobRecord> which, boolean ended) {
        return rows.stream().filter(r -> r.state().isTerminal() == ended).filter(which).findFirst().orElse(null);
    }

    /** Whether the job is an array with this task (its own row says which tasks it has). */
    private static boolean pairs(NamedJobs named, long array, int task) {
        JobRecord j = named.jobs().get(array);
        return j != null && j.array() != null && j.array().arrayJobId() == array && j.spec().hasArray()
                && j.spec().arraySpec().indexes().contains(task);
    }

    private static String name(JobRecord j) {
        return j.name() == null ? "" : j.name();
    }
}
