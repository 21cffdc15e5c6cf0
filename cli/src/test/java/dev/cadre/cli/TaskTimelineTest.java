package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task 3 of array 12, watched as 12_3 ('cadre watch 12_3'). */
class TaskTimelineTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");
    private static final String AT = "2026-11-21T10:00:00Z ";
    private final List<String> lines = new ArrayList<>();
    private final TaskTimeline task = new TaskTimeline(12, 3, lines::add);

    /** A change of the record with this id, running the given task of array 12 (null: holding pending tasks). */
    private static JobEvent.JobStateChanged change(long id, Integer taskId, JobState from, JobState to, int attempt) {
        return new JobEvent.JobStateChanged(id, from, to, from == null ? "None" : null, T, attempt, "u", "sweep",
                to.isTerminal() ? taskId : null, to.isTerminal() ? 0 : null, 12L, taskId);
    }

    /** The task as GET /api/jobs/12_3 shows it: the record that holds it (the array's 12, a part, its own). */
    private static WatchTimeline.Snapshot read(long record, Integer runs, JobState state, int attempt, String reason) {
        return new WatchTimeline.Snapshot(record, "sweep", state, reason, attempt, T, null, null, 12L, runs);
    }

    @Test
    void aWaitingTaskIsShownAsReadAndItsOwnRecordsChangesAsTheyCome() {
        task.start(read(12, null, JobState.PENDING, 0, "Resources"));
        // Split off as it starts: a record of its own, whose events name the task.
        assertFalse(task.event(change(15, 3, null, JobState.PENDING, 0)));
        assertFalse(task.event(change(15, 3, JobState.PENDING, JobState.RUNNING, 1)));
        assertFalse(task.ended().isDone());
        assertFalse(task.event(change(15, 3, JobState.RUNNING, JobState.FAILED, 1)));
        assertEquals(List.of(AT + "job 12_3 (sweep) PENDING attempt 0 reason Resources",
                AT + "job 12_3 (sweep) PENDING -> RUNNING attempt 1",
                AT + "job 12_3 (sweep) RUNNING -> FAILED attempt 1 exit 3"), lines);
        assertEquals(JobState.FAILED, task.ended().join());
    }

    @Test
    void otherTasksAreNotShownAndTheRecordsThatHoldPendingTasksAskForARead() {
        task.start(read(12, null, JobState.PENDING, 0, "Resources"));
        assertFalse(task.event(change(14, 2, JobState.PENDING, JobState.RUNNING, 1)), "another task's record");
        assertFalse(task.event(new JobEvent.JobStateChanged(20, JobState.PENDING, JobState.RUNNING, null, T, 1, "u",
                "x", null, null, 19L, 3)), "task 3 of another array");
        assertTrue(task.event(change(13, null, null, JobState.PENDING, 0)), "a part made: the task may be in it");
        assertTrue(task.event(new JobEvent.JobUpdated(12, "u", "sweep", JobState.PENDING, "JobHeldUser", "user", null,
                null, null, T, 12L, null)), "the array's record held");
        assertTrue(task.event(new JobEvent.ArrayPartJoined(13, 12, 12, "u", T)));
        assertFalse(task.event(new JobEvent.ArrayPartJoined(30, 29, 29, "u", T)), "another array's part");
        assertEquals(1, lines.size(), lines.toString());
    }

    @Test
    void aReadShowsWhatTheEventsOfItsHolderCouldNotSay() {
        task.start(read(12, null, JobState.PENDING, 0, "Resources"));
        task.reread(read(13, null, JobState.PENDING, 0, "JobHeldUser"));
        assertEquals(1, lines.size(), "no new state: a reason alone is no state change, as for any job");
        task.reread(read(13, null, JobState.CANCELLED, 0, "CancelledByUser"));
        assertEquals(AT + "job 12_3 (sweep) CANCELLED attempt 0 reason CancelledByUser", lines.get(1));
        assertEquals(JobState.CANCELLED, task.ended().join());
        task.reread(read(13, null, JobState.CANCELLED, 0, "CancelledByUser"));
        assertEquals(2, lines.size(), "nothing after the end");
    }

    @Test
    void aReadOlderThanAChangeShownIsNotShown() {
        task.start(read(12, null, JobState.PENDING, 0, "Resources"));
        task.event(change(15, 3, JobState.PENDING, JobState.RUNNING, 1));
        task.reread(read(12, null, JobState.PENDING, 0, "Resources"));
        task.reread(read(15, 3, JobState.RUNNING, 1, null));
        assertEquals(2, lines.size(), lines.toString());
        // Requeued: its own record waits again and says so, and a read of it then is no news.
        task.event(change(15, 3, JobState.RUNNING, JobState.PENDING, 1));
        task.reread(read(15, 3, JobState.PENDING, 1, "BeginTime"));
        task.event(change(15, 3, JobState.PENDING, JobState.RUNNING, 2));
        assertEquals(List.of(AT + "job 12_3 (sweep) RUNNING -> PENDING attempt 1",
                AT + "job 12_3 (sweep) PENDING -> RUNNING attempt 2"), lines.subList(2, 4));
    }

    /** The head commits before it publishes: a read may show the task running before the events of its start. */
    @Test
    void eventsOlderThanARecordsReadAreNotShown() {
        task.start(read(12, null, JobState.PENDING, 0, "Resources"));
        task.reread(read(15, 3, JobState.RUNNING, 1, null));
        task.event(change(15, 3, null, JobState.PENDING, 0));
        task.event(change(15, 3, JobState.PENDING, JobState.RUNNING, 1));
        assertEquals(List.of(AT + "job 12_3 (sweep) PENDING attempt 0 reason Resources",
                AT + "job 12_3 (sweep) RUNNING attempt 1"), lines);
    }

    @Test
    void changesHeldUntilTheFirstReadAreShownOnlyPastWhereItStands() {
        task.event(change(15, 3, null, JobState.PENDING, 0));
        task.event(change(15, 3, JobState.PENDING, JobState.RUNNING, 1));
        task.event(change(15, 3, JobState.RUNNING, JobState.COMPLETED, 1));
        task.start(read(15, 3, JobState.RUNNING, 1, null));
        assertEquals(List.of(AT + "job 12_3 (sweep) RUNNING attempt 1",
                AT + "job 12_3 (sweep) RUNNING -> COMPLETED attempt 1 exit 3"), lines);
        assertEquals(JobState.COMPLETED, task.ended().join());
    }

    @Test
    void aReadBeforeTheFirstOneIsIgnored() {
        task.reread(read(12, null, JobState.PENDING, 0, null));
        assertTrue(lines.isEmpty());
        task.start(read(12, null, JobState.PENDING, 0, null));
        assertEquals(1, lines.size());
    }

    @Test
    void aTaskThatCanNoLongerBeFoundEndsTheWatchWithoutAState() {
        task.start(read(12, null, JobState.PENDING, 0, null));
        task.lost();
        assertNull(task.ended().join());
    }
}
