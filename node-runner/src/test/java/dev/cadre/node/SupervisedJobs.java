package dev.cadre.node;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of a {@link JobSupervisor} on real processes and files share: a state directory, a working
 * directory for the jobs, the events the supervisor reports, and the waits other node tests use too.
 */
abstract class SupervisedJobs {
    @TempDir
    Path state;
    @TempDir
    Path work;
    final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    JobSupervisor supervisor;

    /** A supervisor on the state directory, as a node-runner's start makes it; closed after the test. */
    JobSupervisor supervisor() throws Exception {
        supervisor = new JobSupervisor(state, "n1", Duration.ofSeconds(2), "test", events::add, Clock.systemUTC());
        return supervisor;
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    NodeCommand.PlaceJob place(long id, String body, Long limit) {
        JobSpec spec = JobSpec.builder().name("t" + id).user("alice").script("#!/bin/bash\n" + body + "\n")
                .workDir(work.toString()).environment(Map.of("GREETING", "hello")).timeLimitSeconds(limit)
                .submitHost("submit-host").build();
        return new NodeCommand.PlaceJob(id, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 1, 1, 0, 0))), "tok");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    /** @param what said when the wait times out, as things then stand */
    static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        Await.until(what, timeout, condition);
    }

    RunnerEvent.RunnerFinished finished(long id) throws InterruptedException {
        return finished(events, id, Duration.ofSeconds(20));
    }

    /** Waits for job {@code id}'s runner-finished among the events a supervisor reported. */
    static RunnerEvent.RunnerFinished finished(List<RunnerEvent> events, long id, Duration timeout)
            throws InterruptedException {
        await("job " + id + " to finish", timeout, () -> events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id));
        return events.stream().filter(e -> e instanceof RunnerEvent.RunnerFinished f && f.jobId() == id)
                .map(RunnerEvent.RunnerFinished.class::cast).findFirst().orElseThrow();
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
