package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.PlacementPolicy;
import dev.cadre.scheduler.core.SchedulerCore;
import dev.cadre.scheduler.core.SchedulerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part of an array (pending tasks a task-list hold moved together) is stored as one row and comes back from
 * SQLite after the head stops at any point, as the array's record does: a head that starts on the same file sees it
 * held, releases it, and starts its tasks, which keep the part's spec, not the array's. Real SQLite file.
 */
class ArrayPartRestartTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private final Clock clock = Clock.fixed(T, ZoneOffset.UTC);
    @TempDir
    Path dir;

    private SchedulerCore start(JobStore jobs) {
        return start(clock, jobs);
    }

    /** A head starting on the file: what it reads, as {@code SchedulerService} reads it. */
    static SchedulerCore start(Clock clock, JobStore jobs) {
        SchedulerCore core = new SchedulerCore(clock, SchedulerSettings.defaults(Duration.ofSeconds(30))
                .withPolicy(PlacementPolicy.Kind.FCFS), (id, a) -> "t", new StoredHistory(jobs));
        core.recover(jobs.unfinished(), List.of(), jobs.history().highestId());
        return core;
    }

    private static void save(JobStore jobs, Decisions d) {
        jobs.save(JobWrites.of(d.inserted(), d.changes(), d.respecified(), d.dropped()));
    }

    /** scontrol hold (admin) or uhold of the listed tasks, stored. */
    private static void hold(JobStore jobs, SchedulerCore head, long array, String tasks, boolean admin) {
        save(jobs, head.control().hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse(tasks), admin, null))
                .decisions());
    }

    /** The head's file, opened again. */
    private JobStore open() {
        return new JobStore(Database.open(dir.resolve("cadre.db")));
    }

    /** A one-task job of alice's that runs true. */
    private static JobSpec.Builder job(String name) {
        return JobSpec.builder().name(name).user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(1)
                .timeLimitSeconds(600L);
    }

    /** Stores a new array of these task ids, as a submission does, and returns its id. */
    private static long admit(JobStore jobs, String tasks) {
        return jobs.admit(List.of(new JobStore.NewJob("k", job("a").array(tasks).build(), T, "None"))).get(0).job()
                .id();
    }

    /** The one unfinished record of the array other than its own: the part a list made. */
    private JobRecord partOf(JobStore jobs, long array) {
        return rows(jobs, array).stream().filter(j -> j.id() != array).findFirst().orElseThrow();
    }

    private List<JobRecord> rows(JobStore jobs, long array) {
        return jobs.unfinished().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array).toList();
    }

    @Test
    void aHeldPartComesBackAsOneRowAndItsTasksRunWithItsSpec() {
        JobStore first = open();
        long array = admit(first, "0-99999");
        SchedulerCore head = start(first);
        hold(first, head, array, "1-99998", false);
        // The array's record, with what the part left it, is held too: tasks that the part starts must not read it.
        hold(first, head, array, "0,99999", true);
        first.close();

        // Killed: nothing of the first head's memory survives; the next reads the file.
        JobStore second = open();
        List<JobRecord> stored = rows(second, array);
        assertEquals(2, stored.size(), "the array's row and the part's, not a row per task: " + stored);
        JobRecord part = stored.stream().filter(j -> j.id() != array).findFirst().orElseThrow();
        assertEquals("1-99998", part.array().pending().toString());
        assertNull(part.array().taskId());
        assertEquals(JobSpec.HOLD_USER, part.spec().hold());
        assertEquals("JobHeldUser", part.reason());
        assertEquals(array + "_[1-99998]", part.displayId());
        assertEquals(JobSpec.HOLD_ADMIN, second.find(array).orElseThrow().spec().hold());

        SchedulerCore again = start(second);
        save(second, again.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 4, 64_000, 0,
                List.of(), T)));
        save(second, again.schedule());
        assertTrue(rows(second, array).stream().noneMatch(j -> j.state() == JobState.RUNNING), "all held");

        save(second, again.control().release(new ControlRequest.ReleaseJob(array, null,
                ArrayIndexes.parse("1-99998"), false, null)).decisions());
        save(second, again.schedule());
        List<JobRecord> running = rows(second, array).stream().filter(j -> j.state() == JobState.RUNNING).toList();
        assertEquals(4, running.size());
        for (JobRecord task : running) {
            assertTrue(task.array().taskId() >= 1 && task.array().taskId() <= 4, task::toString);
            assertNull(task.spec().hold(), "a task of the released part, read back: " + task);
        }
        assertEquals("5-99998", second.find(part.id()).orElseThrow().array().pending().toString());

        // A third head still finds the part and the tasks it started.
        SchedulerCore third = start(second);
        Decisions cancel = third.cancel(array).decisions();
        save(second, cancel);
        JobRecord ended = second.find(part.id()).orElseThrow();
        assertEquals(JobState.CANCELLED, ended.state());
        assertEquals("5-99998", ended.array().pending().toString());
        assertEquals(99_994, second.history().unstartedParts(array).get(0).array().pending().count());
        second.close();
    }

    /** Tasks a list moves into a part already held, or back into the array's record, are read back where they went. */
    @Test
    void tasksThatJoinedAnotherRecordComeBackThere() {
        JobStore first = open();
        long array = admit(first, "0-9");
        SchedulerCore head = start(first);
        hold(first, head, array, "1-3", false);
        hold(first, head, array, "5", false);
        first.close();

        JobStore second = open();
        List<JobRecord> stored = rows(second, array);
        assertEquals(2, stored.size(), "task 5 joined the held part: " + stored);
        JobRecord part = stored.stream().filter(j -> j.id() != array).findFirst().orElseThrow();
        assertEquals("1-3,5", part.array().pending().toString());
        assertEquals(JobSpec.HOLD_USER, part.spec().hold());
        assertEquals("0,4,6-9", second.find(array).orElseThrow().array().pending().toString());

        SchedulerCore again = start(second);
        save(second, again.control().release(new ControlRequest.ReleaseJob(array, null, ArrayIndexes.parse("2,5"),
                false, null)).decisions());
        second.close();

        JobStore third = open();
        assertEquals(2, rows(third, array).size());
        assertEquals(ArrayIndexes.ofSorted(new int[] {0, 2, 4, 5, 6, 7, 8, 9}), third.find(array).orElseThrow().array()
                .pending(),
                "the released tasks went back to the array's record");
        assertEquals("1,3", third.find(part.id()).orElseThrow().array().pending().toString());
        third.close();
    }

    /** A part released whole is as the array's record is: its tasks join it, and its row and history go. */
    @Test
    void aPartWhoseTasksAllJoinedTheArraysRecordLeavesNoRow() {
        JobStore first = open();
        long array = admit(first, "0-9");
        SchedulerCore head = start(first);
        hold(first, head, array, "1-3", false);
        long part = partOf(first, array).id();
        assertTrue(!first.history().events(part).isEmpty());
        Decisions release = head.control().release(new ControlRequest.ReleaseJob(array, null,
                ArrayIndexes.parse("1-3"), false, null)).decisions();
        assertEquals(List.of(part), release.dropped());
        save(first, release);
        first.close();

        JobStore second = open();
        assertEquals(List.of(array), rows(second, array).stream().map(JobRecord::id).toList());
        assertEquals("0-9", second.find(array).orElseThrow().array().pending().toString());
        assertTrue(second.find(part).isEmpty());
        assertTrue(second.history().events(part).isEmpty(), "its history went with it");
        SchedulerCore again = start(second);
        hold(second, again, array, "4", false);
        assertEquals(2, rows(second, array).size(), "a later list splits the joined record as any other");
        second.close();
    }

    /**
     * A joined part's id is never given again, nor are its events' numbers, though its rows go: its id was seen
     * (squeue %A, REST, events), and an event numbered at or below the published mark would never be published.
     */
    @Test
    void aJoinedPartsIdAndEventNumbersAreNeverGivenAgain() {
        JobStore first = open();
        long array = admit(first, "0-9");
        SchedulerCore head = start(first);
        hold(first, head, array, "1-3", false);
        long part = partOf(first, array).id();
        save(first, head.control().release(new ControlRequest.ReleaseJob(array, null, ArrayIndexes.parse("1-3"),
                false, null)).decisions());
        long published = first.outbox().lastEventSeq();
        first.outbox().published(published);
        first.outbox().flush();
        first.close();

        JobStore second = open();
        assertTrue(second.outbox().lastEventSeq() >= published, "event numbers went back");
        long next = second.admit(List.of(new JobStore.NewJob("k2", job("b").build(), T, "None"))).get(0).job().id();
        assertTrue(next > part, "job " + next + " after part " + part);
        SchedulerCore again = start(second);
        hold(second, again, array, "5", false);
        long newPart = partOf(second, array).id();
        assertTrue(newPart > next);
        assertTrue(second.outbox().unpublishedEvents().stream().anyMatch(e -> e.jobId() == newPart
                && Long.valueOf(array).equals(e.arrayJobId()) && e.arrayTaskId() == null),
                "the new part's creation is to be published, as a part of its array");
        second.close();
    }

    /** A part's id may go when it joins another record: a dependency names the array or its tasks instead. */
    @Test
    void aDependencyOnAPartIsRefusedAtSubmission() {
        JobStore store = open();
        long array = admit(store, "0-9");
        SchedulerCore head = start(store);
        hold(store, head, array, "1-3", false);
        long part = partOf(store, array).id();
        JobSpec.Builder b = job("b");
        assertEquals("spec.dependency", head.dependencyProblem(b.dependency("afterok:" + part).build())
                .orElseThrow().field());
        assertTrue(head.dependencyProblem(b.dependency("afterok:" + part).build()).orElseThrow().message()
                .contains("a part of array " + array), "names the array to use");
        assertTrue(head.dependencyProblem(b.dependency("afterok:" + array).build()).isEmpty());
        store.close();
    }

    /** A task that has ended, read from the file by a head started after it, is still no array of its own. */
    @Test
    void anEndedTasksOwnIdNamesNoArrayAfterARestart() {
        JobStore store = open();
        long array = admit(store, "0-3");
        SchedulerCore head = start(store);
        save(store, head.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "n1", List.of(), 1, 64_000, 0, List.of(),
                T)));
        save(store, head.schedule());
        JobRecord task = rows(store, array).stream().filter(j -> j.state() == JobState.RUNNING).findFirst()
                .orElseThrow();
        save(store, head.onRunnerEvent(new RunnerEvent.RunnerFinished(task.id(), task.attempt(), "n1", 0, 0, null, T,
                null)));
        assertEquals(JobState.COMPLETED, store.find(task.id()).orElseThrow().state());

        SchedulerCore again = start(store);
        var hold = again.control().hold(new ControlRequest.HoldJob(task.id(), null, ArrayIndexes.parse("1-2"), false,
                null));
        assertEquals("job " + task.id() + " is " + array + "_0, of array " + array + ", not an array itself: name the"
                + " array's tasks as " + array + "_[...]", hold.result().reason());
        assertNull(hold.result().ended(), "its array's tasks are not answered as its own");
        var cancel = again.control().cancel(new ControlRequest.CancelJob(task.id(), null, ArrayIndexes.parse("1-2"),
                null));
        assertEquals(hold.result().reason(), cancel.result().reason());
        assertNull(cancel.result().ended());
        assertTrue(cancel.decisions().isEmpty());
        store.close();
    }

    /** A hold of every third task leaves the array's record hundreds of kilobytes of ranges, read back whole. */
    @Test
    void anArrayWhosePendingTasksTakeLongTextIsReadBack() {
        JobStore first = open();
        long array = admit(first, "0-99999");
        save(first, start(first).control().hold(new ControlRequest.HoldJob(array, null,
                ArrayIndexes.parse("0-99999:3"), false, null)).decisions());
        first.close();

        JobStore second = open();
        JobRecord kept = second.find(array).orElseThrow();
        assertTrue(kept.array().pending().toString().length() > ArrayIndexes.MAX_REQUEST_TEXT);
        assertEquals(66_666, kept.array().pending().count());
        assertEquals(2, rows(second, array).size(), "a head starting on the file reads every row");
        start(second);
        second.close();
    }
}
