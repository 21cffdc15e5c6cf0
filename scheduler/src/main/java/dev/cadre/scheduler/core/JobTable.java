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
import java.util.TreeMap;

/**
 * The core's unfinished jobs, indexed the two ways each pass reads them: pending jobs in queue order and
 * jobs that hold resources. A placement pass then costs what is pending and running, not everything the
 * scheduler remembers.
 */
final class JobTable {
    private final Map<Long, JobRecord> all = new HashMap<>();
    private final TreeMap<Long, JobRecord> pending = new TreeMap<>();
    private final Map<Long, JobRecord> active = new HashMap<>();
    /** Pending job ids by their wait reason, so that re-labelling the queue touches only jobs that change. */
    private final Map<String, Set<Long>> pendingByReason = new HashMap<>();

    JobRecord get(long id) {
        return all.get(id);
    }

    void put(JobRecord job) {
        unindexReason(all.put(job.id(), job));
        index(job);
    }

    void remove(long id) {
        unindexReason(all.remove(id));
        pending.remove(id);
        active.remove(id);
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

    private void index(JobRecord job) {
        if (job.state() == JobState.PENDING) {
            pending.put(job.id(), job);
            pendingByReason.computeIfAbsent(reasonKey(job), k -> new HashSet<>()).add(job.id());
        } else {
            pending.remove(job.id());
        }
        if (job.state().isActive()) {
            active.put(job.id(), job);
        } else {
            active.remove(job.id());
        }
    }

    /** Pending jobs in queue order (by id: first come, first served). */
    Collection<JobRecord> pending() {
        return pending.values();
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
}
