package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler no longer holds in memory: jobs that have ended, for the dependencies that name them.
 * Backed by the job store; tests give a map.
 */
public interface JobHistory {

    /** How a job ended. */
    record Ended(JobState state, Instant startTime, Instant endTime) {
    }

    /** The ended job of this id; empty when no job of this id exists (an unfinished one is never asked for). */
    Optional<Ended> ended(long jobId);

    /** Ended tasks of the array, counted by end state; task ids of tasks that ended are not needed. */
    Map<JobState, Integer> endedTasks(long arrayJobId);

    /** Ended task taskId of array arrayJobId, or empty if it has not ended or does not exist. */
    Optional<Ended> endedTask(long arrayJobId, int taskId);

    /** Nothing has ended: a fresh scheduler with no database, as in tests. */
    JobHistory NONE = new JobHistory() {
        @Override
        public Optional<Ended> ended(long jobId) {
            return Optional.empty();
        }

        @Override
        public Map<JobState, Integer> endedTasks(long arrayJobId) {
            return Map.of();
        }

        @Override
        public Optional<Ended> endedTask(long arrayJobId, int taskId) {
            return Optional.empty();
        }
    };
}
