package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobTransitionsTest {
    @Test
    void endStatesAreFinal() {
        for (JobState s : JobState.values()) {
            if (s.isTerminal()) {
                assertTrue(JobTransitions.next(s).isEmpty(), s + " must have no way out");
            }
        }
    }

    @Test
    void everyNonTerminalStateCanReachAnEnd() {
        for (JobState s : JobState.values()) {
            if (!s.isTerminal()) {
                assertTrue(JobTransitions.next(s).stream().anyMatch(JobState::isTerminal)
                        || JobTransitions.next(s).contains(JobState.PENDING), s + " is a dead end");
            }
        }
    }

    @Test
    void theUsualLivesOfAJobAreAllowed() {
        assertEquals(JobState.COMPLETED, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.COMPLETED)));
        assertEquals(JobState.CANCELLED, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.COMPLETING, JobState.CANCELLED)));
        assertEquals(JobState.TIMEOUT, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.COMPLETING, JobState.TIMEOUT)));
        assertEquals(JobState.COMPLETED, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.REQUEUED, JobState.PENDING, JobState.RUNNING, JobState.COMPLETED)));
        assertEquals(JobState.CANCELLED, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.CANCELLED)));
    }

    @Test
    void onlyAPendingJobEndsDeadlineAndForGood() {
        assertEquals(JobState.DEADLINE, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.DEADLINE)));
        assertEquals(List.of(), JobTransitions.next(JobState.DEADLINE).stream().toList());
        for (JobState s : List.of(JobState.RUNNING, JobState.COMPLETING, JobState.SUSPENDED, JobState.REQUEUED)) {
            assertEquals(false, JobTransitions.isAllowed(s, JobState.DEADLINE), s + " never ends DEADLINE");
        }
        assertEquals("DL", JobState.DEADLINE.shortCode());
    }

    @Test
    void outOfMemoryEndsARunningOrStoppingJobForGood() {
        assertEquals(JobState.OUT_OF_MEMORY, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.OUT_OF_MEMORY)));
        assertTrue(JobTransitions.isAllowed(JobState.COMPLETING, JobState.OUT_OF_MEMORY));
        assertFalse(JobTransitions.isAllowed(JobState.REQUEUED, JobState.OUT_OF_MEMORY), "no attempt runs");
        assertTrue(JobState.OUT_OF_MEMORY.isTerminal());
        assertEquals("OOM", JobState.OUT_OF_MEMORY.shortCode());
    }

    /**
     * A job requeued after its node was lost, whose lost attempt turns out to have ended on its own before the job
     * started again, ends as that attempt did, straight from PENDING; it never goes back to NODE_FAIL or COMPLETING,
     * which only an attempt being stopped reaches.
     */
    @Test
    void aRequeuedJobMayEndAsItsLostAttemptDidWithoutRunningAgain() {
        for (JobState end : List.of(JobState.COMPLETED, JobState.FAILED, JobState.TIMEOUT, JobState.OUT_OF_MEMORY)) {
            assertEquals(end, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING, JobState.REQUEUED,
                    JobState.PENDING, end)));
        }
        assertFalse(JobTransitions.isAllowed(JobState.PENDING, JobState.NODE_FAIL));
        assertFalse(JobTransitions.isAllowed(JobState.PENDING, JobState.COMPLETING));
        assertFalse(JobTransitions.isAllowed(JobState.PENDING, JobState.REQUEUED));
    }

    @Test
    void forbiddenChangesAreRefusedWithTheirNames() {
        assertFalse(JobTransitions.isAllowed(JobState.COMPLETED, JobState.RUNNING));
        assertFalse(JobTransitions.isAllowed(JobState.REQUEUED, JobState.COMPLETED));
        var e = assertThrows(JobTransitions.IllegalTransitionException.class,
                () -> JobTransitions.check(7, JobState.CANCELLED, JobState.RUNNING));
        assertEquals("job 7: illegal state change CANCELLED -> RUNNING", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JobTransitions.replay(1, List.of(JobState.RUNNING)));
    }
}
