package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The core's unfinished jobs, indexed the ways each pass reads them: pending jobs in id order, jobs that hold
 * resources, the parts of each array, and jobs by user and name (for singleton dependencies). A pass then
 * costs what is pending and running, not everything the scheduler remembers.
 */
final class JobTable {
    private final Map<Long, JobRecord> all = new HashMap<>();
    private final PendingQueue pending = new PendingQueue();
    /** The pending records with a deadline, which each pass judges ({@link Deadlines}). */
    private final Map<Long, JobRecord> pendingWithDeadline = new HashMap<>();
    private final Map<Long, JobRecord> active = new HashMap<>();
    /** Pending job ids by their wait reason, so that re-labelling the queue touches only jobs that change. */
    private final Map<String, Set<Long>> pendingByReason = new HashMap<>();
    /** Unfinished records of each array (its own record, its parts and split-off tasks), by array id. */
    private final Map<Long, Set<Long>> arrayParts = new HashMap<>();
    private final Map<String, TreeSet<Long>> byUserAndName = new HashMap<>();
    /** Unfinished instances of each service, by service name. */
    private final Map<String, Set<Long>> byService = new HashMap<>();
    /** Unfinished split-off tasks (and array records that became their last task), by array and task id. */
    private final Map<TaskKey, Long> tasks = new HashMap<>();
    /**
     * Unfinished records that hold pending tasks (the array's own record and the parts split off it), by array id,
     * lowest id first: a part that a task-list hold made waits apart from the array's record.
     */
    private final Map<Long, TreeSet<Long>> holders = new HashMap<>();

    private record TaskKey(long arrayJobId, int taskId) {
    }

    JobRecord get(long id) {
        return all.get(id);
    }

    void put(JobRecord job) {
        JobRecord old = all.put(job.id(), job);
        unindexReason(old);
        if (old != null && !userAndName(old).equals(userAndName(job))) {
            forgetName(old);
        }
        if (old == null || !userAndName(old).equals(userAndName(job))) {
            byUserAndName.computeIfAbsent(userAndName(job), k -> new TreeSet<>()).add(job.id());
        }
        if (old == null) {
            if (job.spec().service() != null) {
                byService.computeIfAbsent(job.spec().service(), k -> new HashSet<>()).add(job.id());
            }
            if (job.array() != null) {
                arrayParts.computeIfAbsent(job.array().arrayJobId(), k -> new HashSet<>()).add(job.id());
            }
        }
        if (job.array() != null && job.array().taskId() != null) {
            tasks.put(new TaskKey(job.array().arrayJobId(), job.array().taskId()), job.id());
        }
        if (holdsPending(job)) {
            holders.computeIfAbsent(job.array().arrayJobId(), k -> new TreeSet<>()).add(job.id());
        } else if (holdsPending(old)) {
            forgetHolder(old);
        }
        index(job);
    }

    private static boolean holdsPending(JobRecord j) {
        return j != null && j.array() != null && j.array().taskId() == null && j.array().pending() != null
                && !j.state().isTerminal();
    }

    private void forgetHolder(JobRecord old) {
        TreeSet<Long> ids = holders.get(old.array().arrayJobId());
        if (ids != null) {
            ids.remove(old.id());
            if (ids.isEmpty()) {
                holders.remove(old.array().arrayJobId());
            }
        }
    }

    /** The unfinished records holding pending tasks of the array, lowest id (the array's own record) first. */
    List<JobRecord> holdersOf(long arrayJobId) {
        TreeSet<Long> ids = holders.get(arrayJobId);
        return ids == null ? List.of() : ids.stream().map(all::get).toList();
    }

    /** The unfinished record holding this pending task of the array, or null when none does. */
    JobRecord holding(long arrayJobId, int taskId) {
        TreeSet<Long> ids = holders.get(arrayJobId);
        if (ids != null) {
            for (long id : ids) {
                JobRecord j = all.get(id);
                if (j.array().pending().contains(taskId)) {
                    return j;
                }
            }
        }
        return null;
    }

    /** The unfinished record of one array task; null when it is pending in its array's record or a part, or ended. */
    JobRecord task(long arrayJobId, int taskId) {
        Long id = tasks.get(new TaskKey(arrayJobId, taskId));
        return id == null ? null : all.get(id);
    }

    void remove(long id) {
        JobRecord old = all.remove(id);
        if (old == null) {
            return;
        }
        unindexReason(old);
        pending.remove(id);
        pendingWithDeadline.remove(id);
        active.remove(id);
        forgetName(old);
        if (old.spec().service() != null) {
            Set<Long> instances = byService.get(old.spec().service());
            instances.remove(id);
            if (instances.isEmpty()) {
                byService.remove(old.spec().service());
            }
        }
        if (old.array() != null && old.array().taskId() != null) {
            tasks.remove(new TaskKey(old.array().arrayJobId(), old.array().taskId()));
        }
        if (holdsPending(old)) {
            forgetHolder(old);
        }
        if (old.array() != null) {
            Set<Long> parts = arrayParts.get(old.array().arrayJobId());
            parts.remove(id);
            if (parts.isEmpty()) {
                arrayParts.remove(old.array().arrayJobId());
            }
        }
    }

    private void forgetName(JobRecord old) {
        String key = userAndName(old);
        TreeSet<Long> same = byUserAndName.get(key);
        if (same != null) {
            same.remove(old.id());
            if (same.isEmpty()) {
                byUserAndName.remove(key);
            }
        }
    }

    private void unindexReason(JobRecord old) {
        if (old != null && old.state() == JobState.PENDING) {
            Set<Long> ids = pendingByReason.get(reasonKey(old));
            if (ids != null) {
                ids.remove(old.id());
            }
        }
    }

    private static String reasonKey(JobRecord job) {
        return job.reason() == null ? "" : job.reason();
    }

    private static String userAndName(JobRecord job) {
        return job.user() + "\0" + (job.name() == null ? "" : job.name());
    }

    private void index(JobRecord job) {
        if (job.state() == JobState.PENDING) {
            pending.put(job);
            pendingByReason.computeIfAbsent(reasonKey(job), k -> new HashSet<>()).add(job.id());
        } else {
            pending.remove(job.id());
        }
        if (job.state() == JobState.PENDING && job.spec().deadline() != null) {
            pendingWithDeadline.put(job.id(), job);
        } else {
            pendingWithDeadline.remove(job.id());
        }
        if (job.state().isActive()) {
            active.put(job.id(), job);
        } else {
            active.remove(job.id());
        }
    }

    /** Pending jobs in id order. */
    Collection<JobRecord> pending() {
        return pending.inIdOrder();
    }

    /** Pending jobs with a deadline, in no order. */
    Collection<JobRecord> pendingWithDeadline() {
        return pendingWithDeadline.values();
    }

    /** Whether the pending jobs' id order is their scheduling order, all free to start; see {@link PendingQueue}. */
    boolean pendingInPlainOrder() {
        return pending.inPlainOrder();
    }

    /** Whether pending jobs' submission times never decrease along their ids; see {@link PendingQueue#submittedInIdOrder}. */
    boolean pendingSubmittedInIdOrder() {
        return pending.submittedInIdOrder();
    }

    /** The pending jobs that break plain order by themselves, in id order; see {@link PendingQueue#irregular}. */
    Collection<JobRecord> pendingIrregular() {
        return pending.irregularInIdOrder();
    }

    /** Ids of pending jobs whose wait reason is not the one given. */
    List<Long> pendingWithReasonOtherThan(String reason) {
        List<Long> ids = new ArrayList<>();
        pendingByReason.forEach((r, set) -> {
            if (!r.equals(reason)) {
                ids.addAll(set);
            }
        });
        return ids;
    }

    /** Jobs that hold an allocation: RUNNING or COMPLETING. */
    Collection<JobRecord> active() {
        return active.values();
    }

    /** The unfinished records of an array (its own and split-off tasks); empty when all have ended. */
    List<JobRecord> arrayParts(long arrayJobId) {
        Set<Long> ids = arrayParts.get(arrayJobId);
        return ids == null ? List.of() : ids.stream().map(all::get).toList();
    }

    boolean hasArrayParts(long arrayJobId) {
        return arrayParts.containsKey(arrayJobId);
    }

    /** Array tasks holding nodes, by array id. */
    Map<Long, Integer> activeTasksByArray() {
        Map<Long, Integer> out = new HashMap<>();
        for (JobRecord j : active.values()) {
            if (j.array() != null) {
                out.merge(j.array().arrayJobId(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The unfinished instances of a service. */
    List<JobRecord> instancesOf(String service) {
        Set<Long> ids = byService.get(service);
        return ids == null ? List.of() : ids.stream().map(all::get).toList();
    }

    /** Ids of unfinished jobs of this job's user and name, lowest first. */
    TreeSet<Long> sameUserAndName(JobRecord job) {
        return byUserAndName.getOrDefault(userAndName(job), new TreeSet<>());
    }
}
