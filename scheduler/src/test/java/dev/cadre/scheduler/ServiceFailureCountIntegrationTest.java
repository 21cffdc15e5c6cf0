package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service instance's failure is stored with its end, in one SQLite transaction: a head killed (kill -9) right
 * after the end was committed, before the services' reconciler ran, restarts with the failure counted. The
 * scheduler is driven by hand, not started, so that no reconciler round can run in between; the "restart" reads
 * SQLite as a new head would.
 */
class ServiceFailureCountIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SchedulerService scheduler;

    @AfterEach
    void stop() throws Exception {
        if (head != null) {
            head.close();
        }
    }

    @Test
    void aFailureCountedForAnInstanceEndIsStoredWithThatEnd() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofHours(1), e -> { });
        JobStore jobs = head.jobs();
        scheduler = head.scheduler();
        ServiceSpec service = new ServiceSpec("web", 1, JobSpec.builder().name("web").user("alice")
                .script("#!/bin/sh\nexit 1\n").workDir("/tmp").build(), 3);
        var created = (ClientReply.ServiceResult) scheduler.control(new ClientRequest.CreateService(service));
        assertTrue(created.ok(), created.toString());
        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host1",
                List.of("10.0.0.1"), 4, 4096, 0, List.of(), Instant.now())));
        long instance = scheduler.admit(List.of(new JobStore.NewJob("svc:web:0", service.instanceSpec(),
                Instant.now(), "None"))).get(0).job().id();
        scheduler.apply(() -> scheduler.core().schedule());
        JobRecord running = jobs.find(instance).orElseThrow();
        assertEquals(JobState.RUNNING, running.state());

        scheduler.apply(() -> scheduler.core().onRunnerEvent(new RunnerEvent.RunnerFinished(instance,
                running.attempt(), "n1", 1, 0, null, Instant.now(), null)));

        assertEquals(JobState.FAILED, jobs.find(instance).orElseThrow().state());
        ServiceRecord afterRestart = new ServiceStore(Database.open(dir.resolve("cadre.db"))).list().get(0);
        assertEquals(1, afterRestart.consecutiveFailures());
        assertTrue(afterRestart.lastError().startsWith("instance " + instance + " ended FAILED"),
                afterRestart.lastError());
    }
}
