package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real SQLite file. */
class JobStoreTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;
    JobStore store;

    @BeforeEach
    void open() {
        store = new JobStore(Database.open(dir.resolve("cadre.db")));
    }

    static JobStore.NewJob job(String key, String user) {
        JobSpec spec = JobSpec.builder().name("n-" + key).user(user).script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .build();
        return new JobStore.NewJob(key, spec, T, "None");
    }

    @Test
    void admittedJobsAreStoredPendingWithTheirCreationEvent() {
        List<JobStore.Admission> out = store.admit(List.of(job("a", "alice"), job("b", "bob")));
        assertEquals(2, out.size());
        for (JobStore.Admission a : out) {
            assertFalse(a.duplicate());
            assertEquals(JobState.PENDING, a.job().state());
            assertEquals(store.find(a.job().id()).orElseThrow(), a.job());
            var events = store.history().events(a.job().id());
            assertEquals(1, events.size());
            assertEquals(JobState.PENDING, events.get(0).to());
        }
        assertTrue(out.get(0).job().id() < out.get(1).job().id());
    }

    @Test
    void anArrayIsOneRowUntilItsTasksStartAndTasksReadTheArraysSpec() {
        JobSpec spec = job("arr", "alice").spec().toBuilder().array("0-99999%50").build();
        JobRecord array = store.admit(List.of(new JobStore.NewJob("arr", spec, T, "None"))).get(0).job();
        assertEquals(1, store.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 10)).size(),
                "100,000 pending tasks are one row");
        assertEquals("arr_[0-99999%50]".replace("arr", Long.toString(array.id())), array.displayId());
        JobRecord task = array.splitTask(array.id() + 1, 0);
        JobRecord rest = array.withArray(new ArrayPart(array.id(), null, array.array().pending().withoutFirst()));
        store.save(List.of(task), List.of(new JobChange(rest, JobState.PENDING, T, null)), List.of());
        assertEquals(spec, store.find(task.id()).orElseThrow().spec(), "a task's row reads its array's spec");
        assertEquals("1-99999", store.find(array.id()).orElseThrow().array().pending().toString());
    }

    /** A hold or update of the array's pending tasks changes the array's row; tasks split off before keep theirs. */
    @Test
    void respecifyingAnArraysRecordLeavesTheSpecOfItsSplitOffTasks() {
        JobSpec spec = job("arr", "alice").spec().toBuilder().array("0-9").build();
        JobRecord array = store.admit(List.of(new JobStore.NewJob("arr", spec, T, "None"))).get(0).job();
        JobRecord task = array.splitTask(array.id() + 1, 0);
        JobRecord rest = array.withArray(new ArrayPart(array.id(), null, array.array().pending().withoutFirst()));
        store.save(List.of(task), List.of(new JobChange(rest, JobState.PENDING, T, null)), List.of());
        JobSpec held = spec.toBuilder().hold(JobSpec.HOLD_USER).name("renamed").build();
        store.save(List.of(), List.of(), List.of(rest.withSpec(held)));
        assertEquals(held, store.find(array.id()).orElseThrow().spec());
        assertEquals(spec, store.find(task.id()).orElseThrow().spec(), "the task split off before keeps its spec");
        JobRecord later = rest.withSpec(held).splitTask(array.id() + 2, 1);
        store.save(List.of(later), List.of(), List.of());
        assertEquals(held, store.find(later.id()).orElseThrow().spec(), "a task split off after reads the new one");
    }

    /**
     * scontrol update ArrayTaskThrottle=: the scheduler changes the records it holds, and the array's ended ones,
     * which read their array's spec or keep the one they ran with, take the new throttle and nothing else, as Slurm
     * shows every task its array's one throttle; another array keeps its own.
     */
    @Test
    void anArraysNewThrottleIsGivenToItsEndedRecords() {
        JobSpec spec = job("arr", "alice").spec().toBuilder().array("0-9%2").build();
        JobRecord array = store.admit(List.of(new JobStore.NewJob("arr", spec, T, "None"))).get(0).job();
        JobRecord other = store.admit(List.of(new JobStore.NewJob("other", spec, T, "None"))).get(0).job();
        JobRecord ended = array.splitTask(other.id() + 1, 0);
        JobRecord running = array.splitTask(other.id() + 2, 1);
        JobRecord rest = array.withArray(new ArrayPart(array.id(), null,
                array.array().pending().withoutFirst().withoutFirst()));
        store.save(List.of(ended, running), List.of(new JobChange(rest, JobState.PENDING, T, null)), List.of());
        store.save(List.of(new JobChange(ended.ended(JobState.CANCELLED, "None", null, null, T), JobState.PENDING, T,
                null)));

        JobSpec five = spec.toBuilder().array("0-9%5").build();
        store.save(new JobWrites(List.of(), List.of(), List.of(rest.withSpec(five), running.withSpec(five)),
                Map.of(array.id(), 5), List.of(), List.of(), List.of(), null));

        assertEquals(five, store.find(ended.id()).orElseThrow().spec(), "the ended task shows the new throttle");
        assertEquals(spec, store.find(other.id()).orElseThrow().spec(), "another array keeps its own");

        store.save(List.of(new JobChange(rest.withSpec(five).ended(JobState.CANCELLED, "None", null, null, T),
                JobState.PENDING, T, null)));
        JobSpec none = spec.toBuilder().array("0-9").build();
        store.save(new JobWrites(List.of(), List.of(), List.of(running.withSpec(none)), Map.of(array.id(), 0),
                List.of(), List.of(), List.of(), null));
        assertEquals(none, store.find(array.id()).orElseThrow().spec(), "the array's own record, ended, too");
        assertEquals(none, store.find(ended.id()).orElseThrow().spec());
        assertEquals(none, store.find(running.id()).orElseThrow().spec());
    }

    @Test
    void aKnownKeyReturnsTheFirstJobWithinABatchAndAcrossBatches() {
        long first = store.admit(List.of(job("k", "alice"))).get(0).job().id();
        List<JobStore.Admission> again = store.admit(List.of(job("k", "alice"), job("new", "alice"), job("new", "alice")));
        assertTrue(again.get(0).duplicate());
        assertEquals(first, again.get(0).job().id());
        assertFalse(again.get(1).duplicate());
        assertTrue(again.get(2).duplicate());
        assertEquals(again.get(1).job().id(), again.get(2).job().id());
        assertEquals(2, store.list(new JobQuery(Set.of(), null, null, Set.of(), null, 100)).size());
    }

    @Test
    void aDuplicateReportsTheJobAsItStandsNow() {
        JobRecord j = store.admit(List.of(job("done", "alice"))).get(0).job();
        JobRecord running = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.RUNNING, null, 1, null, true,
                null, null, j.submitTime(), T, null);
        store.save(List.of(new JobChange(running, JobState.PENDING, T, null)));
        assertEquals(List.of(j.id()), store.active().stream().map(JobRecord::id).toList());
        JobRecord ended = new JobRecord(j.id(), j.submissionKey(), j.spec(), JobState.FAILED, "NonZeroExitCode", 1,
                null, true, 3, null, j.submitTime(), T, T);
        store.save(List.of(new JobChange(ended, JobState.RUNNING, T, null)));
        JobStore.Admission again = store.admit(List.of(job("done", "alice"))).get(0);
        assertTrue(again.duplicate());
        assertEquals(JobState.FAILED, again.job().state());
        assertEquals(3, again.job().exitCode());
        assertEquals(List.of(), store.active(), "an ended job holds no node");
    }

    @Test
    void aTransitionOutsideTheTableIsRefusedAndNothingIsWritten() {
        JobRecord j = store.admit(List.of(job("x", "alice"))).get(0).job();
        JobRecord bogus = j.withState(JobState.NODE_FAIL, null);
        assertThrows(IllegalStateException.class,
                () -> store.save(List.of(new JobChange(bogus, JobState.PENDING, T, null))));
        assertEquals(JobState.PENDING, store.find(j.id()).orElseThrow().state());
    }

    @Test
    void largeBatchesAreAdmittedWhole() {
        List<JobStore.NewJob> many = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            many.add(job("bulk-" + i, "alice"));
        }
        store.admit(many.subList(0, 700));
        List<JobStore.Admission> out = store.admit(many);
        assertEquals(700, out.stream().filter(JobStore.Admission::duplicate).count());
        assertEquals(1_200, store.unfinished().size());
    }

    @Test
    void eventsNotMarkedPublishedAreReturnedAfterARestart() {
        Path file = dir.resolve("cadre.db");
        JobRecord first = store.admit(List.of(job("p1", "alice"))).get(0).job();
        store.outbox().published(store.outbox().lastEventSeq());
        // The mark rides along with the next write; this one is never published (a crash right after).
        JobRecord second = store.admit(List.of(job("p2", "bob"))).get(0).job();

        EventOutbox reopened = new JobStore(Database.open(file)).outbox();
        var pending = reopened.unpublishedEvents();
        assertEquals(1, pending.size());
        assertEquals(second.id(), pending.get(0).jobId());
        assertEquals(JobState.PENDING, pending.get(0).state());
        assertEquals("bob", pending.get(0).user());
        assertTrue(first.id() < second.id());

        store.outbox().published(store.outbox().lastEventSeq());
        store.outbox().flush();
        assertEquals(List.of(), new JobStore(Database.open(file)).outbox().unpublishedEvents());
    }
}
