package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerCore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scancel of a running job, the head restarted before its node confirms the kill: the job still ends CANCELLED by
 * the user who asked, as the name was stored with the kill's order, not held in the first head's memory; and the
 * events name the user too: the kill's, sent again from the outbox, and the CANCELLED the second head decides.
 */
class CancellerRestartTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    @TempDir
    Path dir;

    private static void save(JobStore jobs, Decisions d) {
        jobs.save(JobWrites.of(d.inserted(), d.changes(), d.respecified(), d.dropped()));
    }

    @Test
    void theCancellerOutlastsARestartBetweenTheKillAndItsConfirmation() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        JobSpec spec = JobSpec.builder().name("a").user("alice").script("#!/bin/sh\nsleep 100\n").workDir("/tmp")
                .tasks(1).timeLimitSeconds(600L).build();
        long job = store.admit(List.of(new JobStore.NewJob("k", spec, T, "None"))).get(0).job().id();
        SchedulerCore head = ArrayPartRestartTest.start(clock, store);
        save(store, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 4, 64_000, 0,
                List.of(), T)));
        save(store, head.schedule());
        save(store, head.control().cancel(new ControlRequest.CancelJob(job, null, null, "bob", null)).decisions());
        assertEquals(JobState.COMPLETING, store.find(job).orElseThrow().state());
        store.close();

        JobStore reopened = new JobStore(Database.open(file));
        SchedulerCore next = ArrayPartRestartTest.start(clock, reopened);
        JobRecord stopping = reopened.find(job).orElseThrow();
        // Nothing was published before the restart: the kill's event goes out again, naming the user as it did.
        JobEvent.JobStateChanged kill = reopened.outbox().unpublishedEvents().stream()
                .filter(e -> e.state() == JobState.COMPLETING).findFirst().orElseThrow();
        assertEquals("bob", kill.cancelledBy());
        Decisions end = next.onRunnerEvent(new RunnerEvent.RunnerFinished(job, stopping.attempt(), "n1", 0, 15,
                JobState.CANCELLED, T, null));
        save(reopened, end);

        assertEquals(JobState.CANCELLED, reopened.find(job).orElseThrow().state());
        assertEquals(Map.of(job, "bob"), reopened.history().cancellers(List.of(job)));
        assertEquals(List.of("bob"), end.events().stream().map(JobEvent.JobStateChanged::cancelledBy).toList(),
                "the second head read the name back for the CANCELLED event");
        assertEquals("bob", reopened.outbox().unpublishedEvents().stream()
                .filter(e -> e.state() == JobState.CANCELLED).findFirst().orElseThrow().cancelledBy());
        assertEquals(List.of(), reopened.outbox().unpublishedEvents().stream()
                .filter(e -> e.state() == JobState.PENDING || e.state() == JobState.RUNNING)
                .map(JobEvent.JobStateChanged::cancelledBy).filter(java.util.Objects::nonNull).toList(),
                "only the events the cancel made name the user");
        reopened.close();
    }
}
