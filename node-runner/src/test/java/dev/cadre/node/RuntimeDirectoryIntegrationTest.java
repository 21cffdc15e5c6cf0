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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempt directories apart from the state directory, as on a RAM file system: a job runs from there, and a
 * restarted runner finds it there; the records that must outlive a reboot stay in the state directory.
 */
class RuntimeDirectoryIntegrationTest {
    @TempDir
    Path state;
    @TempDir
    Path runtime;
    @TempDir
    Path work;
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();

    private JobSupervisor supervisor() throws Exception {
        return new JobSupervisor(state, new RuntimeDirectory(runtime, "test").jobs(), "n1", Duration.ofSeconds(2),
                "test", events::add, Clock.systemUTC(), null, null, JobLauncher.Setup.DEFAULT);
    }

    @Test
    void aRestartedRunnerFindsTheRunningAttemptInTheRuntimeDirectory() throws Exception {
        Path go = work.resolve("go");
        JobSpec spec = JobSpec.builder().name("t").user("alice").workDir(work.toString())
                .script("#!/bin/sh\nwhile [ ! -f " + go + " ]; do sleep 0.05; done; exit 5\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(31, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
        JobSupervisor first = supervisor();
        first.launch(place);
        JobSupervisorIntegrationTest.await("job 31 to start", Duration.ofSeconds(10), () -> !first.running().isEmpty());
        assertTrue(Files.isDirectory(runtime.resolve("jobs/31-1")), "the attempt is in the runtime directory");
        assertFalse(Files.exists(state.resolve("jobs")), "and nothing of it in the state directory");
        first.close();

        events.clear();
        JobSupervisor second = supervisor();
        try {
            second.adoptLeftovers(adopted -> { });
            assertEquals(List.of(new RunnerEvent.RunningAttempt(31, 1)), second.running());
            Files.writeString(go, "");
            assertEquals(5, JobSupervisorIntegrationTest.finished(events, 31, Duration.ofSeconds(20)).exitCode());
            JobSupervisorIntegrationTest.await("the attempt directory to go", Duration.ofSeconds(10),
                    () -> !Files.exists(runtime.resolve("jobs/31-1")));
        } finally {
            second.close();
        }
        try (EndedAttempts ended = new EndedAttempts(state)) {
            assertTrue(ended.find(31, 1).isPresent(), "the outcome is recorded in the state directory");
        }
    }
}
