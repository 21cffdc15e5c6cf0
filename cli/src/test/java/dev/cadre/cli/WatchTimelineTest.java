package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchTimelineTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");
    private final List<String> lines = new ArrayList<>();
    private final WatchTimeline followingFive = new WatchTimeline(5L, lines::add);

    private static JobEvent.JobStateChanged event(long id, JobState from, JobState to, int attempt) {
        Integer exit = to.isTerminal() ? 0 : null;
        return new JobEvent.JobStateChanged(id, from, to, from == null ? "None" : null, T, attempt, "u", "n", exit,
                to.isTerminal() ? 0 : null);
    }

    private static WatchTimeline.Snapshot snapshot(JobState state, int attempt) {
        return new WatchTimeline.Snapshot(5, "n", state, null, attempt, T, null, null, null, null);
    }

    /** A record that runs an array task is shown by Slurm's id; the array's record and parts by their own. */
    @Test
    void anArrayTaskIsShownAsSlurmNamesIt() {
        WatchTimeline all = new WatchTimeline(null, lines::add);
        all.start((WatchTimeline.Snapshot) null);
        all.event(new JobEvent.JobStateChanged(14, JobState.PENDING, JobState.RUNNING, null, T, 1, "u", "sweep", null,
                null, 12L, 3));
        all.event(new JobEvent.JobStateChanged(12, null, JobState.PENDING, "None", T, 0, "u", "sweep", null, null,
                12L, null));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12_3 (sweep) PENDING -> RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 12 (sweep) PENDING attempt 0"), lines);
    }

    @Test
    void heldEventsUpToTheReadStateAreDroppedAndLaterOnesPrinted() {
        followingFive.event(event(5, null, JobState.PENDING, 1));
        followingFive.event(event(5, JobState.PENDING, JobState.RUNNING, 1));
        followingFive.start(snapshot(JobState.RUNNING, 1));
        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) RUNNING attempt 1"), lines);
        assertFalse(followingFive.ended().isDone());
        followingFive.event(event(5, JobState.RUNNING, JobState.COMPLETED, 1));
        assertEquals("2026-11-21T10:00:00Z job 5 (n) RUNNING -> COMPLETED attempt 1 exit 0", lines.get(1));
        assertEquals(JobState.COMPLETED, followingFive.ended().join());
        followingFive.event(event(5, JobState.RUNNING, JobState.COMPLETED, 1));
        assertEquals(2, lines.size(), "nothing is printed after the end");
    }

    @Test
    void heldEventsNewerThanTheReadStateAreAllPrinted() {
        followingFive.event(event(5, JobState.PENDING, JobState.RUNNING, 1));
        followingFive.event(event(5, JobState.RUNNING, JobState.COMPLETED, 1));
        followingFive.start(snapshot(JobState.PENDING, 0));
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(JobState.COMPLETED, followingFive.ended().join());
    }

    @Test
    void aJobThatHadEndedGivesItsFinalLineAndEnds() {
        followingFive.start(new WatchTimeline.Snapshot(5, "n", JobState.FAILED, null, 1, T, 2, null, null, null));
        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) FAILED attempt 1 exit 2"), lines);
        assertEquals(JobState.FAILED, followingFive.ended().join());
    }

    @Test
    void aStateReadAgainAfterAReconnectIsShownOnlyWhenItChanged() {
        followingFive.start(snapshot(JobState.RUNNING, 1));
        followingFive.reread(snapshot(JobState.RUNNING, 1));
        assertEquals(1, lines.size());
        followingFive.reread(snapshot(JobState.COMPLETED, 1));
        assertEquals(2, lines.size());
        assertEquals(JobState.COMPLETED, followingFive.ended().join());
    }

    @Test
    void aPartWhoseTasksJoinedAnotherRecordSaysSoOnceAndEnds() {
        followingFive.start(snapshot(JobState.PENDING, 0));
        followingFive.gone(5, T);
        followingFive.gone(5, T);
        followingFive.event(event(5, JobState.PENDING, JobState.RUNNING, 1));

        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) PENDING attempt 0", "2026-11-21T10:00:00Z job 5 is gone:"
                + " its pending tasks joined another record of its array (squeue -r shows them)"), lines);
        assertEquals(JobState.PENDING, followingFive.ended().getNow(null));
    }

    @Test
    void withoutAJobEveryEventIsPrintedAndTheTimelineNeverEnds() {
        WatchTimeline all = new WatchTimeline(null, lines::add);
        all.event(event(7, null, JobState.PENDING, 0));
        all.start((WatchTimeline.Snapshot) null);
        all.event(event(8, JobState.RUNNING, JobState.COMPLETED, 1));
        assertEquals(2, lines.size());
        assertFalse(all.ended().isDone());
    }

    private static JobEvent.JobStateChanged task(long id, JobState from, JobState to, Integer task) {
        return new JobEvent.JobStateChanged(id, from, to, null, T, to == JobState.PENDING ? 0 : 1, "u", "sweep",
                to.isTerminal() ? 0 : null, to.isTerminal() ? 0 : null, 12L, task);
    }

    private static WatchTimeline.Snapshot arraySnapshot(long id, JobState state, Integer task) {
        return new WatchTimeline.Snapshot(id, "sweep", state, null, state == JobState.PENDING ? 0 : 1, T, null, null,
                12L, task);
    }

    /** The array's own record ends with the last task to start; the watch goes on until the others have ended. */
    @Test
    void anArraysWatchEndsWhenEveryRecordOfTheArrayHasEnded() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.event(task(14, null, JobState.RUNNING, 1));
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null), arraySnapshot(14, JobState.RUNNING, 1)));
        array.event(task(12, JobState.PENDING, JobState.RUNNING, 2));
        array.event(task(12, JobState.RUNNING, JobState.COMPLETED, 2));
        assertFalse(array.ended().isDone(), "12_1 still runs: " + lines);
        assertEquals(Set.of(14L), array.unfinished());
        array.event(task(14, JobState.RUNNING, JobState.COMPLETED, 1));

        assertEquals(List.of("2026-11-21T10:00:00Z job 12 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 12_1 (sweep) RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 12_2 (sweep) PENDING -> RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 12_2 (sweep) RUNNING -> COMPLETED attempt 1 exit 0",
                "2026-11-21T10:00:00Z job 12_1 (sweep) RUNNING -> COMPLETED attempt 1 exit 0",
                "2026-11-21T10:00:00Z array 12: every task has ended"), lines);
        assertEquals(JobState.COMPLETED, array.ended().getNow(null));
    }

    @Test
    void aPartThatJoinsIsNoLongerWaitedForAndOneNeverSeenIsShownJoining() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.event(new JobEvent.ArrayPartJoined(20, 12, 12, "u", T));
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null), arraySnapshot(21, JobState.PENDING, null)));
        array.event(new JobEvent.ArrayPartJoined(21, 12, 12, "u", T));
        assertEquals(Set.of(12L), array.unfinished());
        array.event(task(12, JobState.PENDING, JobState.RUNNING, 4));
        array.event(task(12, JobState.RUNNING, JobState.FAILED, 4));

        assertEquals(List.of("2026-11-21T10:00:00Z job 12 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 21 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 20 joined job 12: its pending tasks are there now",
                "2026-11-21T10:00:00Z job 21 joined job 12: its pending tasks are there now",
                "2026-11-21T10:00:00Z job 12_4 (sweep) PENDING -> RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 12_4 (sweep) RUNNING -> FAILED attempt 1 exit 0",
                "2026-11-21T10:00:00Z array 12: every task has ended"), lines);
    }

    /** An array's records are read again while its events come: a read older than what was shown is not shown. */
    @Test
    void aStaleReadIsNotShownAndAnEventAReadShowedFirstIsNotShownTwice() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null)));
        array.event(task(14, null, JobState.RUNNING, 1));
        array.event(task(14, JobState.RUNNING, JobState.COMPLETED, 1));
        array.reread(arraySnapshot(14, JobState.RUNNING, 1));
        array.reread(arraySnapshot(12, JobState.RUNNING, 2));
        array.event(task(12, JobState.PENDING, JobState.RUNNING, 2));
        assertEquals(4, lines.size(), lines.toString());
        assertEquals("2026-11-21T10:00:00Z job 12_2 (sweep) RUNNING attempt 1", lines.get(3));
        array.event(task(12, JobState.RUNNING, JobState.COMPLETED, 2));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12_2 (sweep) RUNNING -> COMPLETED attempt 1 exit 0",
                "2026-11-21T10:00:00Z array 12: every task has ended"), lines.subList(4, lines.size()));
    }

    @Test
    void anArrayThatHadEndedGivesItsRecordsAndEnds() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.start(List.of(new WatchTimeline.Snapshot(12, "sweep", JobState.CANCELLED, null, 0, T, null, null, 12L,
                null)));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12 (sweep) CANCELLED attempt 0",
                "2026-11-21T10:00:00Z array 12: every task has ended"), lines);
        assertEquals(JobState.CANCELLED, array.ended().getNow(null));
    }

    /** The poll's read listed part 13; its joining was heard before the read was applied (review J M1). */
    @Test
    void aReadBegunBeforeAPartJoinedDoesNotBringItBack() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null), arraySnapshot(13, JobState.PENDING, null)));
        array.event(new JobEvent.ArrayPartJoined(13, 12, 12, "u", T));
        array.reread(arraySnapshot(12, JobState.PENDING, null));
        array.reread(arraySnapshot(13, JobState.PENDING, null));
        assertEquals(Set.of(12L), array.unfinished());
        array.gone(13, T); // the next poll's 404
        array.event(task(12, JobState.PENDING, JobState.RUNNING, 5));
        array.event(task(12, JobState.RUNNING, JobState.COMPLETED, 5));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 13 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 13 joined job 12: its pending tasks are there now",
                "2026-11-21T10:00:00Z job 12_5 (sweep) PENDING -> RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 12_5 (sweep) RUNNING -> COMPLETED attempt 1 exit 0",
                "2026-11-21T10:00:00Z array 12: every task has ended"), lines);
    }

    /** The head commits before it publishes: a read may show a task before its events come (review J M2). */
    @Test
    void eventsOlderThanARecordsReadAreNotShown() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null)));
        array.reread(arraySnapshot(57, JobState.RUNNING, 0));
        array.event(task(57, null, JobState.PENDING, 0));
        array.event(task(57, JobState.PENDING, JobState.RUNNING, 0));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12 (sweep) PENDING attempt 0",
                "2026-11-21T10:00:00Z job 12_0 (sweep) RUNNING attempt 1"), lines);
        array.event(task(57, JobState.RUNNING, JobState.COMPLETING, 0));
        array.reread(arraySnapshot(57, JobState.RUNNING, 0));
        assertEquals(List.of("2026-11-21T10:00:00Z job 12_0 (sweep) RUNNING -> COMPLETING attempt 1"),
                lines.subList(2, lines.size()), "COMPLETING comes after RUNNING");
    }

    /** A requeued job waits at the attempt it ran, until it starts again (review J L1). */
    @Test
    void aRequeueReadAfterAReconnectIsShown() {
        followingFive.start(snapshot(JobState.RUNNING, 1));
        followingFive.reread(snapshot(JobState.PENDING, 1));
        followingFive.reread(snapshot(JobState.REQUEUED, 1));
        followingFive.reread(snapshot(JobState.RUNNING, 1));
        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 5 (n) PENDING attempt 1"), lines);
        followingFive.event(event(5, JobState.PENDING, JobState.RUNNING, 2));
        assertEquals("2026-11-21T10:00:00Z job 5 (n) PENDING -> RUNNING attempt 2", lines.get(2));
    }

    @Test
    void anArrayThatCanNoLongerBeFoundEndsWithoutAState() {
        WatchTimeline array = WatchTimeline.ofArray(12, lines::add);
        array.start(List.of(arraySnapshot(12, JobState.PENDING, null)));
        array.lost();
        assertEquals(null, array.ended().getNow(JobState.PENDING));
        assertEquals(1, lines.size(), "no line claims it ended");
    }
}
