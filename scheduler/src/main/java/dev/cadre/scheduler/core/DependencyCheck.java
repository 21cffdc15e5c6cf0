package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.Dependencies.Condition;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.DependencyStatus.Named;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a job's dependencies hold, judged from the jobs in memory and, for ended ones, how they ended: a
 * dependency on a job that ended long ago is evaluated like any other. Pure apart from the history lookups. Each
 * condition is judged by {@link DependencyStatus#judge}, the rule the REST API shows dependencies by. For a record
 * of an array's pending tasks, aftercorr is left to {@link CorrespondingTasks}, task by task.
 */
final class DependencyCheck {
    /**
     * BY_TASK: the record holds pending tasks of an array with aftercorr conditions, and whether a task may start
     * depends on the task ({@link CorrespondingTasks}); the other conditions allow that. BY_TASK_NEVER_WAITS is the
     * same under '?' while another condition still waits: a task whose own conditions can never hold waits too.
     */
    enum Status { SATISFIED, WAITING, NEVER, BY_TASK, BY_TASK_NEVER_WAITS }

    private final JobTable jobs;
    private final EndedJobs ended;
    /** The task ids of arrays aftercorr names (null: not an array), asked of memory or the store once. */
    private final Map<Long, Optional<ArrayIndexes>> taskIds = new HashMap<>();

    DependencyCheck(JobTable jobs, EndedJobs ended) {
        this.jobs = jobs;
        this.ended = ended;
    }

    Status status(JobRecord job, Dependencies deps, Instant now) {
        boolean anyWaiting = false;
        boolean byTask = false;
        boolean holder = job.array() != null && job.array().pending() != null;
        for (Condition c : deps.conditions()) {
            if (c.type() == Dependencies.Type.AFTERCORR && holder) {
                byTask = true;
                continue;
            }
            Status s = c.type() == Dependencies.Type.SINGLETON ? singleton(job)
                    : c.type() == Dependencies.Type.AFTERCORR ? corresponding(c, job.array() == null ? null
                    : job.array().taskId(), now) : condition(c, now);
            anyWaiting |= s == Status.WAITING;
            if (deps.anyOne() && s == Status.SATISFIED) {
                return Status.SATISFIED;
            }
            if (!deps.anyOne() && s == Status.NEVER) {
                return Status.NEVER;
            }
        }
        if (byTask) {
            return deps.anyOne() ? anyWaiting ? Status.BY_TASK_NEVER_WAITS : Status.BY_TASK
                    : anyWaiting ? Status.WAITING : Status.BY_TASK;
        }
        if (deps.anyOne()) {
            return anyWaiting ? Status.WAITING : Status.NEVER;
        }
        return anyWaiting ? Status.WAITING : Status.SATISFIED;
    }

    /**
     * The aftercorr conditions alone for one task of the dependent array, joined as the dependency joins them
     * (all, or any one); the rest of the dependency is judged for the whole record by {@link #status}.
     */
    Status ofTask(Dependencies deps, int task, Instant now) {
        boolean anyWaiting = false;
        boolean any = false;
        for (Condition c : deps.conditions()) {
            if (c.type() != Dependencies.Type.AFTERCORR) {
                continue;
            }
            any = true;
            Status s = corresponding(c, task, now);
            anyWaiting |= s == Status.WAITING;
            if (deps.anyOne() && s == Status.SATISFIED) {
                return Status.SATISFIED;
            }
            if (!deps.anyOne() && s == Status.NEVER) {
                return Status.NEVER;
            }
        }
        if (!any) {
            return Status.SATISFIED;
        }
        return anyWaiting ? Status.WAITING : deps.anyOne() ? Status.NEVER : Status.SATISFIED;
    }

    /** Whether the job aftercorr names is an array with this task: else the task is judged on the whole job. */
    boolean pairs(long jobId, int task) {
        ArrayIndexes tasks = taskIdsOf(jobId);
        return tasks != null && tasks.contains(task);
    }

    /**
     * aftercorr for the dependent's task: afterok on the named array's task of the same id, or afterok on the whole
     * job when there is no such task (or the dependent is no array's task).
     */
    private Status corresponding(Condition c, Integer task, Instant now) {
        return condition(DependencyStatus.partner(c, task, this::pairs), now);
    }

    private ArrayIndexes taskIdsOf(long jobId) {
        Optional<ArrayIndexes> known = taskIds.get(jobId);
        if (known == null) {
            if (taskIds.size() > 10_000) {
                taskIds.clear();
            }
            JobRecord any = jobs.get(jobId);
            if (any == null && jobs.hasArrayParts(jobId)) {
                any = jobs.arrayParts(jobId).get(0);
            }
            ArrayIndexes ids = any != null ? (any.array() != null && any.spec().hasArray()
                    ? any.spec().arraySpec().indexes() : null) : ended.arrayTaskIds(jobId);
            known = Optional.ofNullable(ids);
            taskIds.put(jobId, known);
        }
        return known.orElse(null);
    }

    /** Whether every job it names exists; checked when the job is submitted. */
    Optional<String> unknownTarget(Dependencies deps) {
        for (Condition c : deps.conditions()) {
            if (c.type() == Dependencies.Type.SINGLETON) {
                continue;
            }
            boolean known = !ended.isLeaving(c.jobId())
                    && (c.taskId() == null ? exists(c.jobId()) : taskExists(c.jobId(), c.taskId()));
            if (!known) {
                return Optional.of("names job " + c.jobId() + (c.taskId() == null ? "" : "_" + c.taskId())
                        + ", which does not exist");
            }
            JobRecord named = c.taskId() == null ? jobs.get(c.jobId()) : null;
            if (named != null && named.array() != null && named.array().arrayJobId() != named.id()
                    && named.array().taskId() == null) {
                // A part joins another record of its array when they become alike, and its id then goes.
                long array = named.array().arrayJobId();
                return Optional.of("names job " + c.jobId() + ", a part of array " + array + " that task lists hold"
                        + " together, not a job of its own: name the array (" + array + ") or its tasks (" + array
                        + "_N)");
            }
        }
        return Optional.empty();
    }

    private boolean exists(long id) {
        return jobs.get(id) != null || jobs.hasArrayParts(id) || ended.job(id).isPresent();
    }

    private boolean taskExists(long arrayJobId, int taskId) {
        if (jobs.holding(arrayJobId, taskId) != null) {
            return true;
        }
        return jobs.task(arrayJobId, taskId) != null || ended.task(arrayJobId, taskId).isPresent();
    }

    /** Slurm's singleton: no other unfinished job of the same user and name is older or running. */
    private Status singleton(JobRecord job) {
        for (long other : jobs.sameUserAndName(job)) {
            if (DependencyStatus.singletonWaitsOn(job.id(), other, jobs.get(other).state())) {
                return Status.WAITING;
            }
        }
        return Status.SATISFIED;
    }

    private Status condition(Condition c, Instant now) {
        return switch (DependencyStatus.judge(c, named(c), now)) {
            case FULFILLED -> Status.SATISFIED;
            case UNFULFILLED -> Status.WAITING;
            case FAILED -> Status.NEVER;
        };
    }

    /** What the job, task or array the condition names has come to, from memory or its history; null: none. */
    private Named named(Condition c) {
        if (c.taskId() != null) {
            JobRecord task = jobs.task(c.jobId(), c.taskId());
            JobRecord unfinished = task != null ? task : jobs.holding(c.jobId(), c.taskId());
            if (unfinished != null) {
                return Named.unfinished(unfinished);
            }
            return ended.task(c.jobId(), c.taskId()).map(DependencyCheck::ended).orElse(null);
        }
        Map<JobState, Integer> endedTasks = ended.tasks(c.jobId());
        if (jobs.hasArrayParts(c.jobId()) || !endedTasks.isEmpty()) {
            return Named.array(jobs.arrayParts(c.jobId()), endedTasks.entrySet().stream()
                    .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList());
        }
        JobRecord j = jobs.get(c.jobId());
        if (j != null) {
            return Named.unfinished(j);
        }
        return ended.job(c.jobId()).map(DependencyCheck::ended).orElse(null);
    }

    private static Named ended(JobHistory.Ended e) {
        return Named.ended(e.state(), e.startTime(), e.endTime());
    }
}
