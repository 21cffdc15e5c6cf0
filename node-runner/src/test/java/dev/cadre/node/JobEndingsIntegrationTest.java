package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's end hands its event over without holding a thread until it is sent, so that ends share messages; the
 * attempt is forgotten only once its event is sent. Real processes; the sends are held by the test.
 */
class JobEndingsIntegrationTest {
    /** More than the supervisor's threads for ends (4): with a thread held per send, only 4 could be handed over. */
    private static final int JOBS = 10;

    @TempDir
    Path state;
    @TempDir
    Path work;
    /** The runner-finished events handed over and not yet sent, by job id. */
    private final Map<Long, CompletableFuture<Void>> unsent = new ConcurrentHashMap<>();
    private JobSupervisor supervisor;

    @AfterEach
    void tearDown() {
        unsent.values().forEach(f -> f.complete(null));
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private JobSupervisor supervisor() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", new AttemptEvents() {
            @Override
            public void send(RunnerEvent event) {
                // runner-running: sent at once
            }

            @Override
            public CompletableFuture<Void> sendInBackground(RunnerEvent event) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                unsent.put(((RunnerEvent.RunnerFinished) event).jobId(), sent);
                return sent;
            }
        }, Clock.systemUTC());
        return supervisor;
    }

    private NodeCommand.PlaceJob place(long id) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir(work.toString()).build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    private long attemptDirectories() throws Exception {
        try (Stream<Path> dirs = Files.list(state.resolve("jobs"))) {
            return dirs.count();
        }
    }

    private long attemptDirectoriesOrNone() {
        try {
            return attemptDirectories();
        } catch (Exception e) {
            return -1; // listed while one was being removed: looked at again
        }
    }

    @Test
    void endsAreAllHandedOverWhileTheirSendsAreUnderWayAndForgottenOnlyOnceSent() throws Exception {
        JobSupervisor s = supervisor();
        for (long id = 1; id <= JOBS; id++) {
            s.launch(place(id));
        }
        JobSupervisorIntegrationTest.await("all " + JOBS + " ends handed over with none sent", Duration.ofSeconds(30),
                () -> unsent.size() == JOBS);
        assertEquals(JOBS, s.running().size(), "an attempt stays listed until its end is sent");
        assertEquals(JOBS, attemptDirectories());

        unsent.get(3L).completeExceptionally(new IllegalStateException("broker gone"));
        unsent.forEach((id, sent) -> sent.complete(null));
        // Forgetting takes the attempt off the running list, then removes its directory.
        JobSupervisorIntegrationTest.await("the sent ends to be forgotten", Duration.ofSeconds(30),
                () -> s.running().size() == 1 && attemptDirectoriesOrNone() == 1);
        assertEquals(List.of(new RunnerEvent.RunningAttempt(3, 1)), s.running(),
                "an end that could not be sent stays, for the next start to report again");
        assertEquals(1, attemptDirectories());
        assertTrue(Files.isDirectory(state.resolve("jobs").resolve("3-1")), "its directory is kept");
    }
}
