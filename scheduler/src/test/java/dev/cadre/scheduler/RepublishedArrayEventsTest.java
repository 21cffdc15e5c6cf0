package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerCore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events republished from the outbox after a crash equal those first published, job by job (the outbox gives them in
 * the order they were stored, which keeps each job's own order). A record that stands for an array's pending tasks
 * takes on the task id of the last one to start; its earlier events must come back as they were, without it.
 */
class RepublishedArrayEventsTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    @TempDir
    Path dir;

    private SchedulerCore start(JobStore jobs) {
        return ArrayPartRestartTest.start(clock, jobs);
    }

    private static List<JobEvent.JobStateChanged> save(JobStore jobs, Decisions d) {
        jobs.save(JobWrites.of(d.inserted(), d.changes(), d.respecified(), d.dropped()));
        return d.events();
    }

    private static JobSpec.Builder job() {
        return JobSpec.builder().name("a").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(1)
                .timeLimitSeconds(600L);
    }

    private static void compare(JobStore store, List<JobEvent.JobStateChanged> original) {
        List<JobEvent.JobStateChanged> again = store.outbox().unpublishedEvents();
        store.close();
        assertEquals(byJob(original), byJob(again));
    }

    private static Map<Long, List<JobEvent.JobStateChanged>> byJob(List<JobEvent.JobStateChanged> events) {
        return events.stream().collect(Collectors.groupingBy(JobEvent.JobStateChanged::jobId, TreeMap::new,
                Collectors.toList()));
    }

    /** An array whose last task takes the array's own record: its earlier events come back as of that task. */
    @Test
    void arraysOwnRecordEventsAfterItsLastTaskStarts() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        SchedulerCore head = start(store);
        var admission = store.admit(List.of(new JobStore.NewJob("k", job().array("0-1").build(), T, "None"))).get(0);
        Decisions created = new Decisions();
        head.admitted(admission.job());
        created.created(admission.job());
        List<JobEvent.JobStateChanged> original = new ArrayList<>(created.events());
        original.addAll(save(store, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 4,
                64_000, 0, List.of(), T))));
        original.addAll(save(store, head.schedule()));
        assertEquals(1, store.find(admission.job().id()).orElseThrow().arrayTaskId(), "the last task took the record");
        store.close();
        // Killed before any was published: the next head republishes them all.
        compare(new JobStore(Database.open(dir.resolve("cadre.db"))), original);
    }

    /** A part made by a task-list hold, later started to its last task: its creation comes back as that task. */
    @Test
    void partsCreationAfterItsLastTaskStarts() {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long array = store.admit(List.of(new JobStore.NewJob("k", job().array("0-9").build(), T, "None"))).get(0)
                .job().id();
        SchedulerCore head = start(store);
        List<JobEvent.JobStateChanged> original = new ArrayList<>();
        // The array's own creation was published before: mark it.
        store.outbox().published(store.outbox().lastEventSeq());
        store.outbox().flush();
        original.addAll(save(store, head.control().hold(new ControlRequest.HoldJob(array, null,
                ArrayIndexes.parse("3-4"), false, null)).decisions()));
        long part = store.unfinished().stream().filter(j -> j.id() != array).findFirst().orElseThrow().id();
        // Alike with the array no more, the part is kept when released; its two tasks start from it, the last in it.
        original.addAll(save(store, head.control().update(new ControlRequest.UpdateJob(part, null, 1200L, null, null,
                null)).decisions()));
        original.addAll(save(store, head.control().release(new ControlRequest.ReleaseJob(part, null, false, null))
                .decisions()));
        original.addAll(save(store, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 16,
                64_000, 0, List.of(), T))));
        original.addAll(save(store, head.schedule()));
        assertEquals(4, store.find(part).orElseThrow().arrayTaskId(), "the part's last task took its record");
        store.close();
        compare(new JobStore(Database.open(dir.resolve("cadre.db"))), original);
    }

    /** A file from before events kept their task: the events not yet published take the job row's, as before. */
    @Test
    void eventsStoredBeforeTheirTaskWasKeptTakeTheJobsRowsTask() {
        Path file = dir.resolve("cadre.db");
        JobStore store = new JobStore(Database.open(file));
        SchedulerCore head = start(store);
        long array = store.admit(List.of(new JobStore.NewJob("k", job().array("0-1").build(), T, "None"))).get(0)
                .job().id();
        head.admitted(store.find(array).orElseThrow());
        save(store, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 4, 64_000, 0,
                List.of(), T)));
        save(store, head.schedule());
        store.close();
        Database.open(file).useHandle(h -> {
            int version = h.createQuery("PRAGMA user_version").mapTo(Integer.class).one();
            // The migrations after it (job_attempts' usage, jobs.cancelled_by, the virtual memory and disk figures,
            // node_events and its index on time, the suspended time, the time-limit shares mailed, attempt_cpus,
            // reservations, attempt_cpus.gpus, nodes.gpu_types, fair share, partitions) undone first.
            h.execute("DROP TABLE partitions");
            h.execute("DROP TABLE fair_share_usage");
            h.execute("DROP TABLE fair_share_mark");
            h.execute("DROP TABLE reservations");
            h.execute("DROP TABLE attempt_cpus"); // its gpus column with it
            h.execute("ALTER TABLE nodes DROP COLUMN gpu_types");
            h.execute("ALTER TABLE job_attempts DROP COLUMN time_limit_mailed");
            h.execute("ALTER TABLE jobs DROP COLUMN suspend_time");
            h.execute("ALTER TABLE jobs DROP COLUMN suspended_millis");
            h.execute("DROP TABLE node_events");
            h.execute("ALTER TABLE job_attempts DROP COLUMN max_vm_size_bytes");
            h.execute("ALTER TABLE job_attempts DROP COLUMN disk_read_bytes");
            h.execute("ALTER TABLE job_attempts DROP COLUMN disk_write_bytes");
            h.execute("ALTER TABLE jobs DROP COLUMN cancelled_by");
            h.execute("ALTER TABLE job_attempts DROP COLUMN user_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN system_cpu_micros");
            h.execute("ALTER TABLE job_attempts DROP COLUMN max_rss_bytes");
            h.execute("ALTER TABLE job_events DROP COLUMN array_task_id");
            h.execute("PRAGMA user_version = " + (version - 14));
        });

        JobStore upgraded = new JobStore(Database.open(file));
        List<Integer> tasks = upgraded.outbox().unpublishedEvents().stream().filter(e -> e.jobId() == array)
                .map(JobEvent.JobStateChanged::arrayTaskId).toList();
        upgraded.close();
        assertEquals(List.of(1, 1), tasks, "its creation and its start, each with the row's task as before");
    }
}
