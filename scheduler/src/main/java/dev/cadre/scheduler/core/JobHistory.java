package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What the scheduler no longer holds in memory: jobs that have ended, for the dependencies that name them, and
 * the requeues of a job's earlier attempts. Backed by the job store; tests give a map.
 */
public interface JobHistory {

    /**
     * How a job ended.
     *
     * @param unstartedTasks for an array's record, the tasks it still held, never started, when it ended (as
     *        stored in its array_pending), and for the record a task-list cancel made of pending tasks, those;
     *        they ended as it did. Null otherwise
     */
    record Ended(JobState state, Instant startTime, Instant endTime, ArrayIndexes unstartedTasks) {
        public Ended(JobState state, Instant startTime, Instant endTime) {
            this(state, startTime, endTime, null);
        }
    }

    /** The ended job of this id; empty when no job of this id exists (an unfinished one is never asked for). */
    Optional<Ended> ended(long jobId);

    /**
     * Ended tasks of the array, counted by end state, those a task-list cancel ended unstarted included; task ids
     * are not needed. The tasks the array's own record held unstarted when it ended are not among them: see
     * {@link Ended#unstartedTasks}.
     */
    Map<JobState, Integer> endedTasks(long arrayJobId);

    /**
     * Ended task taskId of array arrayJobId, or empty if it has not ended or does not exist: one that ran, or one a
     * task-list cancel ended unstarted in a record holding several (see {@link Ended#unstartedTasks}).
     */
    Optional<Ended> endedTask(long arrayJobId, int taskId);

    /** The lowest and highest exit code of an array's records that ended in one state. */
    record ExitRange(int lowest, int highest) {
    }

    /**
     * What the array's ended records came to, by end state: its tasks, and the parts that ended holding tasks unstarted
     * (a record without an exit code counts as 0). Read once per array, as its last record ends, for its summary mail.
     */
    default Map<JobState, ExitRange> arrayExits(long arrayJobId) {
        return Map.of();
    }

    /** The tasks the array has (its --array), or empty when no array of this id is stored. */
    default Optional<ArrayIndexes> arrayTaskIds(long arrayJobId) {
        return Optional.empty();
    }

    /**
     * Which array a stored job is a task or part of (its own, for an array's record); empty when it is no array's or
     * not stored.
     */
    default Optional<ArrayPart> arrayPartOf(long jobId) {
        return Optional.empty();
    }

    /**
     * How many attempts of an unfinished job ended because a user asked for it to be requeued (scontrol requeue):
     * they do not count against its attempt limit, which is for node failures. An attempt is stored as it ends,
     * before the job can start again, so the attempts of the job's earlier runs are all there.
     */
    int requeuesByRequest(long jobId);

    /**
     * The stored record of one attempt of a job, or empty when it is not stored (yet). Read only when a node reports
     * the end of an attempt the head had given up on, for the nodes and start time it no longer holds.
     */
    default Optional<AttemptRecord> attempt(long jobId, int attempt) {
        return Optional.empty();
    }

    /**
     * Who named the cancels that ordered these jobs' kills, by job, as the kill's order stored it; a job whose kill
     * nobody named has no entry. Read once as the head starts again with kills still unconfirmed.
     */
    default Map<Long, String> killCancellers(Collection<Long> stoppingJobIds) {
        return Map.of();
    }

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

        @Override
        public int requeuesByRequest(long jobId) {
            return 0;
        }
    };
}
