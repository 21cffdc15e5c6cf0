package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.db.Database;
import dev.cadre.db.HistoryPruneStore;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.scheduler.core.HistoryRetention;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History retention on a real SQLite file: what goes, what stays, and ids never given twice. */
class HistoryPrunerIntegrationTest {
    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = OLD.plus(Duration.ofDays(100));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(1));
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private JobStore jobs;
    private int keys;

    private static JobSpec spec() {
        return JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build();
    }

    private JobRecord admit(JobSpec spec, Instant at) {
        return jobs.admit(List.of(new JobStore.NewJob("k" + keys++, spec, at, "None"))).get(0).job();
    }

    /** Runs a pending job (or split-off task) to the end state at the given time, with its attempt. */
    private JobRecord runToEnd(JobRecord pending, JobState end, Instant at) {
        JobRecord running = pending.started(1, null, at);
        jobs.save(List.of(new JobChange(running, JobState.PENDING, at, new AttemptRecord(pending.id(), 1, "n1", at,
                null, JobState.RUNNING, null, null, null))));
        JobRecord ended = running.ended(end, null, end == JobState.COMPLETED ? 0 : 1, null, at);
        jobs.save(List.of(new JobChange(ended, JobState.RUNNING, at, new AttemptRecord(pending.id(), 1, "n1", at, at,
                end, ended.exitCode(), null, null))));
        return ended;
    }

    private JobRecord splitTask(JobRecord array, int task) {
        JobRecord t = array.splitTask(jobs.history().highestId() + 1, task);
        jobs.save(List.of(t), List.of(), List.of());
        return t;
    }

    private HistoryPruner.Pass prune() throws InterruptedException {
        return prune(HistoryPruner.Memory.NONE);
    }

    private HistoryPruner.Pass prune(HistoryPruner.Memory memory) throws InterruptedException {
        jobs.outbox().published(jobs.outbox().lastEventSeq());
        jobs.outbox().flush();
        HistoryPruner pruner = new HistoryPruner(new HistoryPruneStore(jdbi), Clock.fixed(NOW, ZoneOffset.UTC),
                new HistoryPruner.Settings(HistoryRetention.parse("test", "90d"), Duration.ZERO, Duration.ofHours(1),
                        2), memory);
        return pruner.pass();
    }

    private Set<Long> stored() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs").mapTo(Long.class).set());
    }

    private long rows(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Test
    void oldEndedJobsGoWithTheirEventsAndAttemptsAndWhatIsStillNeededStays() throws Exception {
        jdbi = Database.open(dir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        long oldDone = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        long oldFailed = runToEnd(admit(spec(), OLD), JobState.FAILED, OLD).id();
        long recentDone = runToEnd(admit(spec(), OLD), JobState.COMPLETED, RECENT).id();
        long oldPending = admit(spec(), OLD).id();
        JobRecord running = admit(spec(), OLD);
        long oldRunning = running.id();
        jobs.save(List.of(new JobChange(running.started(1, null, OLD), JobState.PENDING, OLD, null)));
        // An array whose tasks all ended long ago goes whole; one with a task still running stays whole.
        JobRecord endedArray = admit(spec().toBuilder().array("0-1").build(), OLD);
        long endedTask0 = runToEnd(splitTask(endedArray, 0), JobState.COMPLETED, OLD).id();
        long endedTask1 = runToEnd(splitTask(endedArray, 1), JobState.FAILED, OLD).id();
        jobs.save(List.of(new JobChange(endedArray.ended(JobState.CANCELLED, null, null, null, OLD), JobState.PENDING,
                OLD, null)));
        JobRecord liveArray = admit(spec().toBuilder().array("0-2").build(), OLD);
        long liveDoneTask = runToEnd(splitTask(liveArray, 0), JobState.COMPLETED, OLD).id();
        JobRecord liveRunningTask = splitTask(liveArray, 1);
        jobs.save(List.of(new JobChange(liveRunningTask.started(1, null, OLD), JobState.PENDING, OLD, null)));
        // A pending job waits on an old job that succeeded and on a running one: the old one must stay, or afterok
        // on it would be judged never satisfied once the running one ends.
        long oldNeeded = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        long waiting = admit(spec().toBuilder().dependency("afterok:" + oldNeeded + ":" + oldRunning).build(),
                RECENT).id();
        long newestEnded = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        long highestBefore = jobs.history().highestId();
        Set<Long> before = stored();

        HistoryPruner.Pass pass = prune();

        Set<Long> gone = before.stream().filter(id -> !stored().contains(id)).collect(Collectors.toSet());
        assertEquals(Set.of(oldDone, oldFailed, endedArray.id(), endedTask0, endedTask1), gone);
        assertEquals(gone.size(), pass.deleted());
        assertTrue(stored().containsAll(List.of(recentDone, oldPending, oldRunning, liveArray.id(), liveDoneTask,
                liveRunningTask.id(), oldNeeded, waiting, newestEnded)), "kept: " + stored());
        assertEquals(JobState.COMPLETED, new StoredHistory(jobs).ended(oldNeeded).orElseThrow().state(),
                "the dependency still finds how its job ended");
        for (long id : gone) {
            assertTrue(jobs.history().events(id).isEmpty() && jobs.history().attempts(id).isEmpty(), "job " + id);
        }
        assertEquals(0L, (long) jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_events WHERE job_id NOT IN"
                + " (SELECT id FROM jobs)").mapTo(Long.class).one()), "no event outlives its job");
        assertEquals(highestBefore, jobs.history().highestId());
        assertTrue(rows("job_attempts") > 0 && rows("job_events") > 0);
    }

    @Test
    void aJobAdmittedAfterTheNewestJobsWerePrunedGetsAnIdAboveEveryIdEverGiven() throws Exception {
        jdbi = Database.open(dir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        List<Long> ended = LongStream.range(0, 5).mapToObj(i -> runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD)
                .id()).toList();
        JobRecord array = admit(spec().toBuilder().array("0").build(), OLD);
        long task = runToEnd(splitTask(array, 0), JobState.COMPLETED, OLD).id();
        jobs.save(List.of(new JobChange(array.ended(JobState.CANCELLED, null, null, null, OLD), JobState.PENDING, OLD,
                null)));
        long highest = Math.max(task, ended.get(ended.size() - 1));
        // The job with the newest event stays for the outbox's numbering; this one holds no job id above the rest.
        JobRecord lowHolder = jobs.find(ended.get(0)).orElseThrow();
        jdbi.useHandle(h -> h.execute("INSERT INTO job_events (seq, job_id, time, to_state, attempt) VALUES"
                + " ((SELECT MAX(seq) + 1 FROM job_events), ?, ?, 'COMPLETED', 1)", lowHolder.id(), OLD.toEpochMilli()));
        jobs.close();
        jobs = new JobStore(jdbi);

        prune();

        assertEquals(Set.of(ended.get(0)), stored(), "every job but the newest event's is gone");
        assertEquals(highest, jobs.history().highestId(), "split-off tasks are numbered above it too");
        long next = admit(spec(), NOW).id();
        assertEquals(highest + 1, next);
        jobs.close();
        // As after a restart: the mark is in the file, not in memory.
        jobs = new JobStore(Database.open(dir.resolve("cadre.db")));
        assertEquals(next + 1, admit(spec(), NOW).id());
    }

    @Test
    void aDependencyOnAnOldJobSubmittedDuringAPassIsSeenUnderTheWriteLock() {
        jdbi = Database.open(dir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        long old = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        HistoryPruneStore store = new HistoryPruneStore(jdbi);
        long passStart = store.held(0).highestId();
        assertEquals(Set.of(), HistoryRetention.named(store.held(0).dependencies()));
        admit(spec().toBuilder().dependency("afterok:" + old).build(), NOW);
        List<Set<Long>> seen = new java.util.ArrayList<>();
        store.delete(passStart, held -> {
            seen.add(HistoryRetention.named(held.dependencies()));
            return List.of();
        });
        assertEquals(List.of(Set.of(old)), seen);
    }

    @Test
    void theSchedulerIsToldBeforeEachDeleteWhatItMayDeleteAndAfterItWhatWent() throws Exception {
        jdbi = Database.open(dir.resolve("cadre.db"));
        jobs = new JobStore(jdbi);
        long oldDone = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        JobRecord endedArray = admit(spec().toBuilder().array("0").build(), OLD);
        long task = runToEnd(splitTask(endedArray, 0), JobState.COMPLETED, OLD).id();
        jobs.save(List.of(new JobChange(endedArray.ended(JobState.CANCELLED, null, null, null, OLD), JobState.PENDING,
                OLD, null)));
        long newest = runToEnd(admit(spec(), OLD), JobState.COMPLETED, OLD).id();
        List<String> told = new java.util.ArrayList<>();
        Set<Long> announced = new java.util.HashSet<>();
        Set<Long> deleted = new java.util.HashSet<>();
        Set<Long> deletedArrays = new java.util.HashSet<>();

        prune(new HistoryPruner.Memory() {
            @Override
            public void deleting(Set<Long> ids) {
                assertTrue(stored().containsAll(ids), "told before the delete: " + ids);
                told.add("deleting");
                announced.addAll(ids);
            }

            @Override
            public void deleted(Set<Long> jobIds, Set<Long> arrayJobIds) {
                assertTrue(jobIds.stream().noneMatch(stored()::contains), "told after it: " + jobIds);
                told.add("deleted");
                deleted.addAll(jobIds);
                deletedArrays.addAll(arrayJobIds);
            }
        });

        assertEquals(Set.of(oldDone, endedArray.id(), task), deleted);
        assertEquals(Set.of(endedArray.id()), deletedArrays);
        // The newest event's job is announced too (the outbox is read inside the delete), and stays.
        assertTrue(announced.containsAll(deleted) && stored().contains(newest), "announced " + announced);
        for (int i = 0; i < told.size(); i += 2) {
            assertEquals(List.of("deleting", "deleted"), told.subList(i, i + 2), "in pairs: " + told);
        }
    }
}
