package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SUSPENDED in the one transition table, and the suspended time a record keeps. */
class SuspendedStateTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aRunningJobIsSuspendedAndResumedAndASuspendedOneMayBeStoppedOrLost() {
        assertEquals("S", JobState.SUSPENDED.shortCode());
        assertTrue(JobState.SUSPENDED.isActive(), "its nodes stay its own");
        assertFalse(JobState.SUSPENDED.isTerminal());
        assertEquals(JobState.RUNNING, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.SUSPENDED, JobState.RUNNING, JobState.SUSPENDED, JobState.RUNNING)));
        assertEquals(JobState.CANCELLED, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.SUSPENDED, JobState.COMPLETING, JobState.CANCELLED)));
        assertEquals(JobState.PENDING, JobTransitions.replay(1, List.of(JobState.PENDING, JobState.RUNNING,
                JobState.SUSPENDED, JobState.REQUEUED, JobState.PENDING)));
        for (JobState end : List.of(JobState.NODE_FAIL, JobState.COMPLETED, JobState.FAILED, JobState.OUT_OF_MEMORY,
                JobState.CANCELLED)) {
            assertTrue(JobTransitions.isAllowed(JobState.SUSPENDED, end), end.name());
        }
    }

    @Test
    void onlyARunningJobIsSuspended() {
        for (JobState from : JobState.values()) {
            assertEquals(from == JobState.RUNNING, JobTransitions.isAllowed(from, JobState.SUSPENDED), from.name());
        }
        assertThrows(JobTransitions.IllegalTransitionException.class, () -> JobTransitions.replay(1,
                List.of(JobState.PENDING, JobState.SUSPENDED)));
    }

    @Test
    void aRecordCountsItsSuspendedTimeAndItsLimitStartMovesOnWhileSuspended() {
        JobRecord running = new JobRecord(1, "k", JobSpec.builder().name("j").user("u").script("true")
                .workDir("/tmp").build(), JobState.RUNNING, null, 1, null, true, null, null, T0, T0, null);
        assertNull(running.suspendTime());
        assertEquals(T0, running.limitStart(T0.plusSeconds(5)), "never suspended: its start");

        JobRecord suspended = running.suspended(T0.plusSeconds(10));
        assertEquals(JobState.SUSPENDED, suspended.state());
        assertEquals(Duration.ofSeconds(30), suspended.suspendedFor(T0.plusSeconds(40)));
        assertEquals(T0.plusSeconds(30), suspended.limitStart(T0.plusSeconds(40)));

        JobRecord resumed = suspended.resumed(T0.plusSeconds(70));
        assertEquals(JobState.RUNNING, resumed.state());
        assertEquals(60_000, resumed.suspendedMillis());
        assertEquals(T0.plusSeconds(70), resumed.suspendTime());
        assertEquals(T0.plusSeconds(60), resumed.limitStart(T0.plusSeconds(500)), "counting again");

        JobRecord ended = resumed.suspended(T0.plusSeconds(100)).ended(JobState.CANCELLED, "x", 0, 9,
                T0.plusSeconds(110));
        assertEquals(70_000, ended.suspendedMillis(), "a suspension its end cuts short counts");
        assertEquals(0, ended.started(2, null, T0.plusSeconds(200)).suspendedMillis(), "a new attempt starts afresh");
    }
}
