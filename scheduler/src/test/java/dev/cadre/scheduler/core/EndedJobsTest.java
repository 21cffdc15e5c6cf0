package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What ended jobs remember for dependencies stays bounded however many arrays and jobs are named over time, and
 * answers the same whether it remembered or had to ask the store again.
 */
class EndedJobsTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    /** The store after each decision has committed: what ended, and how many times it was asked for tallies. */
    private static final class CommittedStore implements JobHistory {
        final Map<Long, Map<JobState, Integer>> tallies = new HashMap<>();
        final Map<Long, Integer> asked = new HashMap<>();

        @Override
        public Optional<Ended> ended(long jobId) {
            return Optional.empty();
        }

        @Override
        public Map<JobState, Integer> endedTasks(long arrayJobId) {
            asked.merge(arrayJobId, 1, Integer::sum);
            return tallies.getOrDefault(arrayJobId, Map.of());
        }

        @Override
        public Optional<Ended> endedTask(long arrayJobId, int taskId) {
            return Optional.empty();
        }

        @Override
        public int requeuesByRequest(long jobId) {
            return 0;
        }
    }

    private static JobRecord endedTask(long arrayId, int taskId, JobState state) {
        return new JobRecord(arrayId, "k" + arrayId, JobSpec.builder().user("alice").build(), state, null, 1, null,
                false, 0, 0, T, T, T, null, new ArrayPart(arrayId, taskId, null));
    }

    @Test
    void finishedArraysAreForgottenPastTheBoundAndAskedForAgainWithTheSameAnswer() {
        CommittedStore store = new CommittedStore();
        EndedJobs ended = new EndedJobs(store, 3);
        long unfinished = 1_000;
        ended.track(unfinished, true);
        for (long array = 1; array <= 10; array++) {
            ended.track(array, true);
            ended.noteEnd(endedTask(array, 0, JobState.COMPLETED), true);
            store.tallies.put(array, Map.of(JobState.COMPLETED, 1));
            // Plain jobs named by dependencies are asked about too, and are no more kept for ever.
            ended.tasks(5_000 + array);
        }
        ended.noteEnd(endedTask(unfinished, 7, JobState.FAILED), false);
        Map<JobState, Integer> completed = new EnumMap<>(Map.of(JobState.COMPLETED, 1));
        assertEquals(completed, ended.tasks(10));
        assertEquals(null, store.asked.get(10L), "the last array to finish is still remembered");
        assertEquals(completed, ended.tasks(1));
        assertEquals(1, store.asked.get(1L), "the first array to finish was forgotten, and asked for again");
        // An array with unfinished parts is never forgotten: its tally is ahead of the store's.
        assertEquals(new EnumMap<>(Map.of(JobState.FAILED, 1)), ended.tasks(unfinished));
        assertEquals(null, store.asked.get(unfinished));
    }
}
