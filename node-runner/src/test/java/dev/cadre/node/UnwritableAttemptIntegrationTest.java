package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launches refused before anything runs: an attempt whose directory cannot be written, on its first place-job and on
 * every repeat; an output path that leads, through a link, where jobs may not write.
 */
class UnwritableAttemptIntegrationTest {
    @TempDir
    Path state;
    @TempDir
    Path work;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    private JobSupervisor supervisor;

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void aPlaceJobWhoseAttemptDirectoryCannotBeWrittenIsReportedFailedAndSoIsItsRepeat() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        NodeCommand.PlaceJob place = AttemptDirectoryTest.unwritable(31, work);
        supervisor.launch(place);
        var failed = (RunnerEvent.RunnerFailed) events.get(0);
        assertTrue(failed.error().startsWith("cannot create the attempt's directory on n1: "), failed.error());
        assertFalse(Files.exists(AttemptDirectory.of(state.resolve("jobs"), 31, 1)));
        // As a redelivery after a rollback, or the scheduler's repeat: answered, not ignored.
        supervisor.launch(place);
        assertEquals(List.of(failed, failed), events);
    }

    private NodeCommand.PlaceJob place(long id, String stdout) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/sh\necho ran > ran-" + id + "\n")
                .workDir(work.toString()).stdout(stdout).build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    @Test
    void anOutputThroughALinkToASystemTreeOrTheStateDirectoryIsRefusedAndNothingRuns() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        // /sys rather than /etc: were the check ever lost, this test would fail without writing a system file.
        Path toSys = Files.createSymbolicLink(work.resolve("lnk"), Path.of("/sys/kernel"));
        Path toState = Files.createSymbolicLink(work.resolve("state-link"), state);
        supervisor.launch(place(1, toSys.resolve("cadre-output-test").toString()));
        supervisor.launch(place(2, toState.resolve("node-id").toString()));
        supervisor.launch(place(3, work.resolve("fine.out").toString()));

        JobSupervisorIntegrationTest.finished(events, 3, Duration.ofSeconds(20));
        for (long id : List.of(1L, 2L)) {
            RunnerEvent.RunnerFailed failed = events.stream()
                    .filter(e -> e instanceof RunnerEvent.RunnerFailed f && f.jobId() == id)
                    .map(RunnerEvent.RunnerFailed.class::cast).findFirst().orElseThrow(() -> new AssertionError(
                            "job " + id + " was not refused: " + events));
            assertTrue(failed.error().startsWith("stdout " + work.resolve(id == 1 ? "lnk/cadre-output-test"
                    : "state-link/node-id") + " (really "), failed.error());
            assertTrue(failed.error().endsWith(" on n1"), failed.error());
            assertFalse(Files.exists(work.resolve("ran-" + id)), "job " + id + "'s script must not run");
        }
        assertEquals("ran\n", Files.readString(work.resolve("ran-3")));
    }
}
