package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines 'cadre watch' prints, and who cancelled a job on them (docs/operations.md "Watching a job"). */
class WatchLineTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");
    private final List<String> lines = new ArrayList<>();

    private static JobEvent.JobStateChanged event(long id, JobState from, JobState to, String reason, String by,
            Long array, Integer task) {
        return new JobEvent.JobStateChanged(id, from, to, reason, T, 1, "alice", "n", to.isTerminal() ? 0 : null,
                to.isTerminal() ? 15 : null, array, task, by);
    }

    @Test
    void linesShowTimeJobNameChangeAttemptReasonAndTheEnd() {
        assertEquals("2026-11-21T10:00:00Z job 5 (n) PENDING -> RUNNING attempt 1",
                WatchLine.line(T, "5", "n", JobState.PENDING, JobState.RUNNING, 1, null, null, null, null));
        assertEquals("2026-11-21T10:00:00Z job 5 PENDING attempt 0",
                WatchLine.line(T, "5", "", null, JobState.PENDING, 0, "None", null, null, null));
        assertEquals("2026-11-21T10:00:00Z job 6 (x) PENDING attempt 0 reason Resources",
                WatchLine.line(T, "6", "x", null, JobState.PENDING, 0, "Resources", null, null, null));
        assertEquals("- job 5 (n) RUNNING -> FAILED attempt 2 reason NonZeroExitCode exit 3",
                WatchLine.line(null, "5", "n", JobState.RUNNING, JobState.FAILED, 2, "NonZeroExitCode", 3, 0, null));
        assertEquals("2026-11-21T10:00:00Z job 5 (n) RUNNING -> CANCELLED attempt 1 signal 15",
                WatchLine.line(T, "5", "n", JobState.RUNNING, JobState.CANCELLED, 1, null, null, 15, null));
    }

    @Test
    void aNamedCancelSaysWhoOnTheEndAsSacctDoesAndOnTheKillAfterItsReason() {
        assertEquals("2026-11-21T10:00:00Z job 5 (n) PENDING -> CANCELLED by bob attempt 0 reason CancelledByUser",
                WatchLine.line(T, "5", "n", JobState.PENDING, JobState.CANCELLED, 0, "CancelledByUser", null, null,
                        "bob"));
        assertEquals("2026-11-21T10:00:00Z job 5 (n) RUNNING -> COMPLETING attempt 1 reason CANCELLED by bob",
                WatchLine.line(T, "5", "n", JobState.RUNNING, JobState.COMPLETING, 1, "CANCELLED", null, null,
                        "bob"));
        assertEquals("2026-11-21T10:00:00Z job 5 (n) COMPLETING -> CANCELLED by bob attempt 1 signal 15",
                WatchLine.line(T, "5", "n", JobState.COMPLETING, JobState.CANCELLED, 1, null, null, 15, "bob"));
    }

    @Test
    void aJobsWatchShowsTheCancellerOfItsEventsAndNobodyForTheSchedulersOwnCancel() {
        WatchTimeline five = new WatchTimeline(5L, lines::add);
        five.start(new WatchTimeline.Snapshot(5, "n", JobState.RUNNING, null, 1, T, null, null, null, null));
        five.event(event(5, JobState.RUNNING, JobState.COMPLETING, "CANCELLED", "bob", null, null));
        five.event(event(5, JobState.COMPLETING, JobState.CANCELLED, "CancelledByUser", "bob", null, null));
        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) RUNNING attempt 1",
                "2026-11-21T10:00:00Z job 5 (n) RUNNING -> COMPLETING attempt 1 reason CANCELLED by bob",
                "2026-11-21T10:00:00Z job 5 (n) COMPLETING -> CANCELLED by bob attempt 1 reason CancelledByUser"
                        + " exit 0 signal 15"), lines);

        lines.clear();
        WatchTimeline six = new WatchTimeline(6L, lines::add);
        six.start(new WatchTimeline.Snapshot(6, "n", JobState.PENDING, "Dependency", 0, T, null, null, null, null));
        six.event(event(6, JobState.PENDING, JobState.CANCELLED, "DependencyNeverSatisfied", null, null, null));
        assertEquals("2026-11-21T10:00:00Z job 6 (n) PENDING -> CANCELLED attempt 1 reason DependencyNeverSatisfied"
                + " exit 0 signal 15", lines.get(1));
    }

    /** A watch begun after the cancel reads the name from the REST API's job, as sacct does. */
    @Test
    void aJobReadAlreadyCancelledShowsItsCancellerFromTheRestApi() {
        WatchTimeline.Snapshot read = WatchCommand.snapshot(Json.parse("{\"id\":5,\"name\":\"n\",\"state\":"
                + "\"CANCELLED\",\"reason\":\"CancelledByUser\",\"attempt\":0,\"endTime\":\"2026-11-21T10:00:00Z\","
                + "\"cancelledBy\":\"carol\"}"));
        assertEquals("carol", read.cancelledBy());
        new WatchTimeline(5L, lines::add).start(read);
        assertEquals(List.of("2026-11-21T10:00:00Z job 5 (n) CANCELLED by carol attempt 0 reason CancelledByUser"),
                lines);
    }

    @Test
    void anArrayTasksWatchShowsItsCanceller() {
        TaskTimeline task = new TaskTimeline(12, 3, lines::add);
        task.start(new WatchTimeline.Snapshot(14, "n", JobState.RUNNING, null, 1, T, null, null, 12L, 3));
        task.event(event(14, JobState.COMPLETING, JobState.CANCELLED, null, "dave", 12L, 3));
        assertEquals("2026-11-21T10:00:00Z job 12_3 (n) COMPLETING -> CANCELLED by dave attempt 1 exit 0 signal 15",
                lines.get(lines.size() - 1));
    }
}
