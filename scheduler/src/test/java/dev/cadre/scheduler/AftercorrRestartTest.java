package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aftercorr array whose partners ended while the head was down, or before it: a head starting on the same
 * SQLite file judges the dependent's pending tasks from what the store holds (which partners completed, which
 * failed), then goes on from the ends it hears. Real SQLite file.
 */
class AftercorrRestartTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    @TempDir
    Path dir;

    private JobStore open() {
        return new JobStore(Database.open(dir.resolve("cadre.db")));
    }

    private static void save(JobStore jobs, Decisions d) {
        jobs.save(JobWrites.of(d.inserted(), d.changes(), d.respecified(), d.dropped()));
    }

    private static long admit(JobStore jobs, String name, String dependency) {
        JobSpec spec = JobSpec.builder().name(name).user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .tasks(1).timeLimitSeconds(600L).array("0-3").dependency(dependency).build();
        return jobs.admit(List.of(new JobStore.NewJob("k" + name, spec, T, "None"))).get(0).job().id();
    }

    private static void node(JobStore jobs, SchedulerCore head, List<RunnerEvent.RunningAttempt> running) {
        save(jobs, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 8, 64_000, 0, running,
                T)));
    }

    private static JobRecord task(JobStore jobs, long array, int i) {
        return jobs.history().task(array, i).orElseThrow();
    }

    private static void finish(JobStore jobs, SchedulerCore head, long array, int i, int exit) {
        JobRecord t = task(jobs, array, i);
        save(jobs, head.onRunnerEvent(new RunnerEvent.RunnerFinished(t.id(), t.attempt(), "n1", exit, 0, null, T,
                null)));
    }

    private static List<Integer> running(JobStore jobs, long array) {
        return jobs.unfinished().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array
                && j.state() == JobState.RUNNING).map(j -> j.array().taskId()).sorted().toList();
    }

    @Test
    void aRestartedHeadJudgesTheTasksFromTheStore() {
        JobStore first = open();
        long partners = admit(first, "a", null);
        long dependent = admit(first, "b", "aftercorr:" + partners);
        SchedulerCore head = ArrayPartRestartTest.start(clock, first);
        node(first, head, List.of());
        save(first, head.schedule());
        assertEquals(List.of(0, 1, 2, 3), running(first, partners));
        finish(first, head, partners, 3, 0);
        save(first, head.schedule());
        assertEquals(List.of(3), running(first, dependent));
        // Ended while no head listened to the dependent, as after a crash: only the store knows.
        finish(first, head, partners, 2, 0);
        finish(first, head, partners, 1, 1);
        first.close();

        JobStore second = open();
        SchedulerCore again = ArrayPartRestartTest.start(clock, second);
        node(second, again, second.unfinished().stream().filter(j -> j.state() == JobState.RUNNING)
                .map(j -> new RunnerEvent.RunningAttempt(j.id(), j.attempt())).toList());
        save(second, again.schedule());
        assertEquals(List.of(2, 3), running(second, dependent));
        assertEquals(JobState.CANCELLED, task(second, dependent, 1).state());
        assertEquals("DependencyNeverSatisfied", task(second, dependent, 1).reason());
        assertEquals("Dependency", second.find(dependent).orElseThrow().reason());
        finish(second, again, partners, 0, 0);
        save(second, again.schedule());
        assertEquals(List.of(0, 2, 3), running(second, dependent));
        second.close();
    }
}
