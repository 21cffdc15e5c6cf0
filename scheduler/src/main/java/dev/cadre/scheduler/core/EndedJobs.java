package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How ended jobs ended, for dependencies: what ended in this scheduler is noted as it happens (the store may not
 * have it yet within the same decision), the rest is asked of the {@link JobHistory} once and remembered. Bounded:
 * the least recently used entries are dropped and asked again if needed.
 */
final class EndedJobs {
    private static final int MAX_ENTRIES = 200_000;
    private static final Optional<JobHistory.Ended> UNKNOWN = Optional.empty();

    private record TaskKey(long arrayJobId, int taskId) {
    }

    private final JobHistory history;
    private final Map<Object, Optional<JobHistory.Ended>> ended = lru();
    /** Ended tasks of arrays, counted by state; kept exact from the first time an array is looked at. */
    private final Map<Long, Map<JobState, Integer>> tallies = new HashMap<>();

    EndedJobs(JobHistory history) {
        this.history = history;
    }

    private static <V> Map<Object, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    /** Notes a job's end as it is decided. */
    void noteEnd(JobRecord j) {
        JobHistory.Ended e = new JobHistory.Ended(j.state(), j.startTime(), j.endTime());
        ended.put(j.id(), Optional.of(e));
        if (j.array() != null && j.array().taskId() != null) {
            ended.put(new TaskKey(j.array().arrayJobId(), j.array().taskId()), Optional.of(e));
            Map<JobState, Integer> tally = tallies.get(j.array().arrayJobId());
            if (tally != null) {
                tally.merge(j.state(), 1, Integer::sum);
            }
        }
    }

    /** Starts exact counting for an array with unfinished parts, before any more of them end. */
    void track(long arrayJobId, boolean isNew) {
        if (isNew) {
            tallies.putIfAbsent(arrayJobId, new EnumMap<>(JobState.class));
        } else {
            tasks(arrayJobId);
        }
    }

    Optional<JobHistory.Ended> job(long id) {
        return ended.computeIfAbsent(id, k -> history.ended(id).map(Optional::of).orElse(UNKNOWN));
    }

    Optional<JobHistory.Ended> task(long arrayJobId, int taskId) {
        return ended.computeIfAbsent(new TaskKey(arrayJobId, taskId),
                k -> history.endedTask(arrayJobId, taskId).map(Optional::of).orElse(UNKNOWN));
    }

    /** Ended tasks of the array by state; empty for a job that is not an array. */
    Map<JobState, Integer> tasks(long arrayJobId) {
        Map<JobState, Integer> tally = tallies.get(arrayJobId);
        if (tally == null) {
            tally = new EnumMap<>(JobState.class);
            tally.putAll(history.endedTasks(arrayJobId));
            tallies.put(arrayJobId, tally);
        }
        return tally;
    }
}
