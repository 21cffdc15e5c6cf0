package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.scheduler.core.JobHistory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restarted scheduler learns from SQLite about ended arrays and requeued attempts. Real SQLite file. */
class StoredHistoryTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    @TempDir
    Path dir;

    private static JobSpec spec() {
        return JobSpec.builder().name("j").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp").build();
    }

    @Test
    void anArrayCancelledWithUnstartedTasksKeepsThemAndRequeuesByRequestAreCounted() {
        JobStore jobs = new JobStore(Database.open(dir.resolve("cadre.db")));
        StoredHistory history = new StoredHistory(jobs);
        JobRecord array = jobs.admit(List.of(new JobStore.NewJob("a", spec().toBuilder().array("0-3").build(), T,
                "None"))).get(0).job();
        JobRecord cancelled = array.ended(JobState.CANCELLED, "CancelledByUser", null, null, T);
        jobs.save(List.of(new JobChange(cancelled, JobState.PENDING, T, null)));
        assertEquals("0-3", history.ended(array.id()).orElseThrow().unstartedTasks().toString());
        assertEquals(Map.of(), history.endedTasks(array.id()), "no task has a record of its own");
        assertEquals(Map.of(JobState.CANCELLED, new JobHistory.ExitRange(0, 0)), history.arrayExits(array.id()),
                "the record that ended holding the tasks, without an exit code");

        JobRecord plain = jobs.admit(List.of(new JobStore.NewJob("p", spec(), T, "None"))).get(0).job();
        JobRecord running = plain.started(1, null, T);
        jobs.save(List.of(new JobChange(running, JobState.PENDING, T, new AttemptRecord(plain.id(), 1, "host1", T,
                null, JobState.RUNNING, null, null, null))));
        JobRecord requeued = running.requeued("Requeued: by request", null);
        jobs.save(List.of(new JobChange(requeued, JobState.RUNNING, T, new AttemptRecord(plain.id(), 1, "host1", T,
                T, JobState.REQUEUED, 0, 15, null)), new JobChange(requeued.withState(JobState.PENDING, "Requeued"),
                JobState.REQUEUED, T, null)));
        assertEquals(1, history.requeuesByRequest(plain.id()));
        assertEquals(0, history.requeuesByRequest(array.id()));
        assertNull(history.ended(plain.id()).orElse(null), "an unfinished job has not ended");
    }
}
