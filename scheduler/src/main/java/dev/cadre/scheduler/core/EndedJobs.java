package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.EnumMap;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How ended jobs ended, for dependencies: what ended in this scheduler is noted as it happens (the store may not
 * have it yet within the same decision), the rest is asked of the {@link JobHistory} once and remembered. Bounded:
 * the least recently used entries are dropped and asked again if needed.
 *
 * <p>Tasks an array's record still held when it ended (scancel of the array) never started and have no record
 * of their own: they ended as the record did, and are counted and answered from it.
 */
final class EndedJobs {
    private static final int MAX_ENTRIES = 200_000;
    private static final Optional<JobHistory.Ended> UNKNOWN = Optional.empty();

    private record TaskKey(long arrayJobId, int taskId) {
    }

    private final JobHistory history;
    private final int maxEntries;
    private final Map<Object, Optional<JobHistory.Ended>> ended;
    /**
     * Ended tasks by state of the arrays with unfinished parts, kept exact as their parts end; as many as there
     * are arrays in memory.
     */
    private final Map<Long, Map<JobState, Integer>> unfinishedArrays = new HashMap<>();
    /** The same for arrays (and plain jobs, whose tally is empty) with nothing left to end: no longer changing. */
    private final Map<Object, Map<JobState, Integer>> finishedArrays;
    /**
     * Jobs and arrays the history pruner may be deleting right now: a new job may not name them, since the delete
     * that is under way cannot see it and would leave it naming a job that is gone.
     */
    private final Set<Long> leaving = new HashSet<>();
    /** The ends of jobs and arrays that aftercorr dependents pair their tasks with, by their id; see {@link EndLog}. */
    private final Map<Long, EndLog> watched = new HashMap<>();

    /**
     * The task ids of a watched array in the order they ended (its tasks, and those its records held unstarted when
     * they ended), and how many ends concerned it at all: a dependent reads what was added since it last looked,
     * not every task again. The ids stay while the array is watched, an int each.
     */
    static final class EndLog {
        private int[] ids = new int[16];
        private int size;
        private long version;

        private void add(int id) {
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int size() {
            return size;
        }

        int get(int i) {
            return ids[i];
        }

        /** Grows with every end of the job, or of a task or part of the array. */
        long version() {
            return version;
        }
    }

    EndedJobs(JobHistory history) {
        this(history, MAX_ENTRIES);
    }

    /** @param maxEntries how many ended jobs, and how many finished arrays' tallies, are remembered */
    EndedJobs(JobHistory history, int maxEntries) {
        this.history = history;
        this.maxEntries = maxEntries;
        this.ended = lru();
        this.finishedArrays = lru();
    }

    private <V> Map<Object, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * Notes a job's end as it is decided.
     *
     * @param lastOfArray the job was the last unfinished part of its array
     */
    void noteEnd(JobRecord j, boolean lastOfArray) {
        var unstarted = j.array() == null ? null : j.array().pending();
        JobHistory.Ended e = new JobHistory.Ended(j.state(), j.startTime(), j.endTime(), unstarted);
        ended.put(j.id(), Optional.of(e));
        EndLog log = watched.get(j.array() == null ? j.id() : j.array().arrayJobId());
        if (log != null) {
            log.version++;
            if (j.array() != null && j.array().taskId() != null) {
                log.add(j.array().taskId());
            }
            if (unstarted != null) {
                unstarted.ids().forEachRemaining((int id) -> log.add(id));
            }
        }
        if (j.array() == null) {
            return;
        }
        long arrayId = j.array().arrayJobId();
        Map<JobState, Integer> tally = unfinishedArrays.get(arrayId);
        if (j.array().taskId() != null) {
            ended.put(new TaskKey(arrayId, j.array().taskId()), Optional.of(e));
            if (tally != null) {
                tally.merge(j.state(), 1, Integer::sum);
            }
        }
        if (unstarted != null && tally != null) {
            tally.merge(j.state(), unstarted.count(), Integer::sum);
        }
        if (lastOfArray && tally != null) {
            finishedArrays.put(arrayId, unfinishedArrays.remove(arrayId));
        }
    }

    /** Notes from now on the ends of this job or array's tasks, for the aftercorr dependents that pair with it. */
    EndLog watch(long id) {
        return watched.computeIfAbsent(id, k -> new EndLog());
    }

    /** No dependent pairs with this job or array any more. */
    void unwatch(long id) {
        watched.remove(id);
    }

    /** Starts exact counting for an array with unfinished parts, before any more of them end. */
    void track(long arrayJobId, boolean isNew) {
        if (!unfinishedArrays.containsKey(arrayJobId)) {
            Map<JobState, Integer> known = finishedArrays.remove(arrayJobId);
            unfinishedArrays.put(arrayJobId, isNew ? new EnumMap<>(JobState.class)
                    : known != null ? known : stored(arrayJobId));
        }
    }

    /** The history pruner is about to delete these jobs (and arrays): see {@link #leaving}. */
    void leaving(Collection<Long> ids) {
        leaving.addAll(ids);
    }

    /** Whether a new job may no longer name this job or array: the pruner is deleting it. */
    boolean isLeaving(long id) {
        return leaving.contains(id);
    }

    /**
     * The pruner's delete is over: the jobs and arrays it deleted are forgotten, as the store has forgotten them
     * (the cache would otherwise answer for them until the head restarts), and the rest of those announced stay.
     */
    void gone(Collection<Long> jobIds, Collection<Long> arrayJobIds) {
        leaving.clear();
        jobIds.forEach(ended::remove);
        if (!arrayJobIds.isEmpty()) {
            Set<Long> arrays = new HashSet<>(arrayJobIds);
            arrays.forEach(id -> {
                ended.remove(id);
                finishedArrays.remove(id);
            });
            ended.keySet().removeIf(k -> k instanceof TaskKey t && arrays.contains(t.arrayJobId()));
        }
    }

    Optional<JobHistory.Ended> job(long id) {
        return ended.computeIfAbsent(id, k -> history.ended(id).map(Optional::of).orElse(UNKNOWN));
    }

    /** An ended task: one that ran, or one its array's record held, unstarted, when it ended. */
    Optional<JobHistory.Ended> task(long arrayJobId, int taskId) {
        Optional<JobHistory.Ended> own = ended.computeIfAbsent(new TaskKey(arrayJobId, taskId),
                k -> history.endedTask(arrayJobId, taskId).map(Optional::of).orElse(UNKNOWN));
        if (own.isPresent()) {
            return own;
        }
        return job(arrayJobId).filter(e -> e.unstartedTasks() != null && e.unstartedTasks().contains(taskId))
                .map(e -> new JobHistory.Ended(e.state(), null, e.endTime()));
    }

    /** The tasks of an array whose parts have all ended (its --array), or null when it is none. */
    dev.cadre.protocol.ArrayIndexes arrayTaskIds(long arrayJobId) {
        return history.arrayTaskIds(arrayJobId).orElse(null);
    }

    /** Ended tasks of the array by state, unstarted ones included; empty for a job that is not an array. */
    Map<JobState, Integer> tasks(long arrayJobId) {
        Map<JobState, Integer> tally = unfinishedArrays.get(arrayJobId);
        return tally != null ? tally : finishedArrays.computeIfAbsent(arrayJobId, k -> stored(arrayJobId));
    }

    /** The tally as the store has it: tasks that ran, and those the array's ended record held unstarted. */
    private Map<JobState, Integer> stored(long arrayJobId) {
        Map<JobState, Integer> tally = new EnumMap<>(JobState.class);
        tally.putAll(history.endedTasks(arrayJobId));
        job(arrayJobId).filter(e -> e.unstartedTasks() != null)
                .ifPresent(e -> tally.merge(e.state(), e.unstartedTasks().count(), Integer::sum));
        return tally;
    }
}
