package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A place-job that comes again, and a {@link JobSupervisor} started again over what an earlier one left (the
 * node-runner died or stopped while its jobs ran on): nothing runs twice, nothing is lost, and every end is reported.
 * Real processes and files.
 */
class JobSupervisorRestartIntegrationTest extends SupervisedJobs {
    @Test
    void aRepeatedPlaceJobRunsNothingTwice() throws Exception {
        NodeCommand.PlaceJob p = place(11, "echo once >> " + work.resolve("count"), null);
        supervisor().launch(p);
        supervisor.launch(p);
        finished(11);
        assertEquals("once\n", Files.readString(work.resolve("count")));
    }

    @Test
    void aPlaceJobRepeatedAfterTheAttemptEndedReportsItsOutcomeAgainAndRunsNothing() throws Exception {
        NodeCommand.PlaceJob p = place(12, "echo once >> " + work.resolve("count12") + "; exit 4", null);
        supervisor().launch(p);
        RunnerEvent.RunnerFinished first = finished(12);
        await("the attempt directory to go", Duration.ofSeconds(10),
                () -> !Files.exists(AttemptDirectory.of(state.resolve("jobs"), 12, 1)));
        events.clear();
        // As after a scheduler crash that never read the node's events; also across a node-runner restart.
        supervisor.close();
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        supervisor.launch(p);
        assertEquals(List.of(first), events);
        assertEquals("once\n", Files.readString(work.resolve("count12")));
    }

    @Test
    void aRepeatThatMissedTheOutcomeOnlyByTheEndsTimingStillRunsNothing() throws Exception {
        // The first copy's end records its outcome and removes its directory between this copy's lookup and the
        // making of its directory (review 79: a job ran twice after a head's SIGKILL).
        NodeCommand.PlaceJob p = place(13, "echo ran >> " + work.resolve("count13"), null);
        RunnerEvent.RunnerFinished firstEnd = new RunnerEvent.RunnerFinished(13, 1, "n1", 4, 0, null, Instant.now(),
                null);
        supervisor().afterOutcomeLookup = () -> {
            try (EndedAttempts other = new EndedAttempts(state)) {
                other.record(13, 1, firstEnd);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        supervisor.launch(p);
        assertEquals(List.of(firstEnd), events, "the recorded end, reported again, and no start");
        assertFalse(Files.exists(work.resolve("count13")), "the job did not run");
        assertFalse(Files.exists(AttemptDirectory.of(state.resolve("jobs"), 13, 1)), "no directory left");
    }

    @Test
    void aRestartedSupervisorFindsItsRunningJobAndItsExitStatus() throws Exception {
        Path go = work.resolve("go");
        supervisor().launch(place(13, "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 4", null));
        await("job 13 to start", Duration.ofSeconds(10), () -> !supervisor.running().isEmpty());
        // Simulate the node-runner dying: drop the supervisor without telling the job.
        supervisor.close();
        events.clear();
        JobSupervisor second = supervisor();
        second.adoptLeftovers(adopted -> { });
        assertEquals(List.of(new RunnerEvent.RunningAttempt(13, 1)), second.running());
        Files.writeString(go, "");
        assertEquals(4, finished(13).exitCode());
    }

    @Test
    void anAttemptTheRunnerDiedBeforeStartingIsStartedOnceOnAdoption() throws Exception {
        Path count = work.resolve("count15");
        JobSupervisor restarted = supervisor();
        // As if the runner died after creating the attempt directory, before starting the wrapper.
        AttemptDirectory.create(state.resolve("jobs"), place(15, "echo once >> " + count, null));
        restarted.adoptLeftovers(adopted -> { });
        assertEquals(0, finished(15).exitCode());
        assertEquals("once\n", Files.readString(count));
        assertTrue(events.get(0) instanceof RunnerEvent.RunnerRunning, events.toString());
    }

    @Test
    void anAttemptDirectoryLeftHalfCreatedIsRemovedSoThePlaceJobRunsWhenItComesAgain() throws Exception {
        // As if the runner was killed between creating the directory and writing its place-job.
        Files.createDirectories(state.resolve("jobs/21-1"));
        Files.writeString(state.resolve("jobs/21-1/place.json"), "{\"type\":\"place-jo");
        Files.createDirectories(state.resolve("jobs/22-1"));
        supervisor().adoptLeftovers(adopted -> { });
        assertEquals(List.of(), supervisor.running());
        supervisor.launch(place(21, "exit 21", null));
        supervisor.launch(place(22, "exit 22", null));
        assertEquals(21, finished(21).exitCode());
        assertEquals(22, finished(22).exitCode());
    }

    @Test
    void aRestartedSupervisorFindsAStartedAttemptThroughItsWrappersClaim() throws Exception {
        Path go = work.resolve("go16");
        Path count = work.resolve("count16");
        supervisor().launch(place(16, "echo once >> " + count + "; while [ ! -f " + go + " ]; do sleep 0.05; done",
                null));
        await("the wrapper to claim the attempt", Duration.ofSeconds(10),
                () -> Files.exists(state.resolve("jobs/16-1/claim")));
        supervisor.close();
        assertFalse(Files.exists(state.resolve("jobs/16-1/pid")), "the claim alone records the wrapper's pid");
        events.clear();
        JobSupervisor second = supervisor();
        second.adoptLeftovers(adopted -> { });
        assertEquals(List.of(new RunnerEvent.RunningAttempt(16, 1)), second.running());
        Files.writeString(go, "");
        assertEquals(0, finished(16).exitCode());
        assertEquals("once\n", Files.readString(count));
    }

    @Test
    void aJobThatEndedWhileTheRunnerWasDownIsReportedFromItsStatusFile() throws Exception {
        // The job ends only once the supervisor is closed: ended before, the supervisor would report it itself.
        Path go = work.resolve("go14");
        supervisor().launch(place(14, "while [ ! -f " + go + " ]; do sleep 0.05; done; exit 6", null));
        // A launch that failed reports so at once; said here, it is not mistaken below for a wrapper that hangs.
        assertTrue(events.size() == 1 && events.get(0) instanceof RunnerEvent.RunnerRunning, events::toString);
        supervisor.close();
        Files.writeString(go, "");
        Path dir = state.resolve("jobs/14-1");
        await(() -> "the wrapper to record the status; the attempt directory holds " + listing(dir)
                + ", and the launcher's log says: " + readQuietly(state.resolve("launcher.log")),
                Duration.ofSeconds(10), () -> Files.exists(dir.resolve("status")));
        assertTrue(events.stream().noneMatch(e -> e instanceof RunnerEvent.RunnerFinished),
                "a closed supervisor reports nothing");
        supervisor().adoptLeftovers(adopted -> { });
        assertEquals(6, finished(14).exitCode());
    }

    /** The names in {@code dir} with each file's content, for a failure's message. */
    private static String listing(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName() + (Files.isRegularFile(f) ? "=" + readQuietly(f).strip() : ""))
                    .sorted().toList().toString();
        } catch (java.io.IOException e) {
            return "nothing readable (" + e + ")";
        }
    }
}
