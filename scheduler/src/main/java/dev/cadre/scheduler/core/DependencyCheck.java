package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.Dependencies.Condition;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a job's dependencies hold, judged from the jobs in memory and, for ended ones, how they ended: a
 * dependency on a job that ended long ago is evaluated like any other. Pure apart from the history lookups. For a
 * record of an array's pending tasks, aftercorr is left to {@link CorrespondingTasks}, task by task.
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
        if (task == null || !pairs(c.jobId(), task)) {
            return condition(new Condition(Dependencies.Type.AFTEROK, c.jobId(), null, 0), now);
        }
        return condition(new Condition(Dependencies.Type.AFTEROK, c.jobId(), task, 0), now);
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
        return unfinishedTask(arrayJobId, taskId) != null || ended.task(arrayJobId, taskId).isPresent();
    }

    /** Slurm's singleton: no other unfinished job of the same user and name is older or running. */
    private Status singleton(JobRecord job) {
        for (long other : jobs.sameUserAndName(job)) {
            if (other != job.id() && (other < job.id() || jobs.get(other).state().isActive())) {
                return Status.WAITING;
            }
        }
        return Status.SATISFIED;
    }

    private Status condition(Condition c, Instant now) {
        if (c.taskId() != null) {
            JobRecord task = unfinishedTask(c.jobId(), c.taskId());
            if (task != null) {
                return ofUnfinished(c, task, now);
            }
            if (jobs.holding(c.jobId(), c.taskId()) != null) {
                return Status.WAITING;
            }
            return ended.task(c.jobId(), c.taskId()).map(e -> ofEnded(c, e, now)).orElse(Status.NEVER);
        }
        if (jobs.hasArrayParts(c.jobId()) || !ended.tasks(c.jobId()).isEmpty()) {
            return ofArray(c, now);
        }
        JobRecord j = jobs.get(c.jobId());
        if (j != null) {
            return ofUnfinished(c, j, now);
        }
        return ended.job(c.jobId()).map(e -> ofEnded(c, e, now)).orElse(Status.NEVER);
    }

    private JobRecord unfinishedTask(long arrayJobId, int taskId) {
        return jobs.task(arrayJobId, taskId);
    }

    private static Status ofUnfinished(Condition c, JobRecord j, Instant now) {
        if (c.type() == Dependencies.Type.AFTER && j.startTime() != null && j.attempt() > 0) {
            return j.startTime().plusSeconds(60L * c.delayMinutes()).isAfter(now) ? Status.WAITING : Status.SATISFIED;
        }
        return Status.WAITING;
    }

    private static Status ofEnded(Condition c, JobHistory.Ended e, Instant now) {
        return switch (c.type()) {
            case AFTER -> {
                Instant from = e.startTime() != null ? e.startTime() : e.endTime();
                yield from != null && from.plusSeconds(60L * c.delayMinutes()).isAfter(now) ? Status.WAITING
                        : Status.SATISFIED;
            }
            case AFTERANY -> Status.SATISFIED;
            case AFTEROK, AFTERCORR -> e.state() == JobState.COMPLETED ? Status.SATISFIED : Status.NEVER;
            case AFTERNOTOK -> e.state() == JobState.COMPLETED ? Status.NEVER : Status.SATISFIED;
            case SINGLETON -> Status.SATISFIED;
        };
    }

    /** A whole array: every task must meet the condition. */
    private Status ofArray(Condition c, Instant now) {
        boolean unfinished = jobs.hasArrayParts(c.jobId());
        Map<JobState, Integer> tally = ended.tasks(c.jobId());
        int notOk = tally.entrySet().stream().filter(e -> e.getKey() != JobState.COMPLETED)
                .mapToInt(Map.Entry::getValue).sum();
        return switch (c.type()) {
            case AFTER -> jobs.arrayParts(c.jobId()).stream().allMatch(p -> p.attempt() > 0 && p.array().pending() == null
                    && p.startTime() != null && !p.startTime().plusSeconds(60L * c.delayMinutes()).isAfter(now))
                    ? Status.SATISFIED : Status.WAITING;
            case AFTERANY -> unfinished ? Status.WAITING : Status.SATISFIED;
            case AFTEROK, AFTERCORR -> notOk > 0 ? Status.NEVER : unfinished ? Status.WAITING : Status.SATISFIED;
            case AFTERNOTOK -> unfinished ? Status.WAITING : notOk > 0 ? Status.SATISFIED : Status.NEVER;
            case SINGLETON -> Status.SATISFIED;
        };
    }
}
