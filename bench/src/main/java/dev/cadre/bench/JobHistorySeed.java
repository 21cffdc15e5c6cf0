package dev.cadre.bench;

import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A history of ended jobs written into a head's SQLite before it starts, through the same JobStore calls the
 * scheduler makes (admission, start with its attempt, end): what a head holds after running them, without
 * waiting hours for them to run. Submissions are spread over the last two hours; 90% complete, 7% fail,
 * 3% are cancelled; each ran one to ten minutes on one of four nodes.
 */
final class JobHistorySeed {
    private static final int BATCH = 1000;
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};

    private JobHistorySeed() {
    }

    static void fill(Path dataDir, int jobs, Instant now) {
        JobStore store = new JobStore(Database.open(dataDir.resolve("cadre.db")));
        Instant first = now.minus(Duration.ofHours(2));
        long spacing = Duration.ofHours(2).toMillis() / Math.max(1, jobs);
        for (int from = 0; from < jobs; from += BATCH) {
            List<JobStore.NewJob> batch = new ArrayList<>();
            for (int i = from; i < Math.min(jobs, from + BATCH); i++) {
                JobSpec spec = JobSpec.builder().name("sim-" + (i % 50)).user(USERS[i % USERS.length])
                        .script("#!/bin/sh\n./simulate --seed " + i + "\n").workDir("/home/" + USERS[i % USERS.length]
                        + "/runs").environment(Map.of("MODE", "fast")).cpusPerTask(1 + i % 4).build();
                batch.add(new JobStore.NewJob("seed-" + i, spec, first.plusMillis(spacing * i), "None"));
            }
            List<JobChange> changes = new ArrayList<>();
            for (JobStore.Admission a : store.admit(batch)) {
                changes.addAll(life(a.job(), now));
            }
            store.save(changes);
        }
        store.close();
    }

    /** Started a little after submission, ended one to ten minutes later, never after now. */
    private static List<JobChange> life(JobRecord j, Instant now) {
        int n = (int) j.id();
        String host = "node" + (n % 4 + 1);
        Instant start = j.submitTime().plusSeconds(2 + n % 30);
        Instant end = start.plusSeconds(60 + (n * 37L) % 540);
        if (end.isAfter(now)) {
            end = now;
            start = start.isAfter(end) ? end : start;
        }
        JobState state = n % 100 < 90 ? JobState.COMPLETED : n % 100 < 97 ? JobState.FAILED : JobState.CANCELLED;
        int exit = state == JobState.FAILED ? 1 : 0;
        JobRecord running = j.started(1, new Allocation(List.of(new Allocation.NodeSlots(host + "-00000001", host, 1,
                j.spec().cpusPerTaskOrOne(), 0, 0))), start);
        JobRecord ended = running.ended(state, state == JobState.FAILED ? "NonZeroExitCode"
                : state == JobState.CANCELLED ? "CancelledByUser" : null, exit, 0, end);
        return List.of(new JobChange(running, JobState.PENDING, start, new AttemptRecord(j.id(), 1, host, start, null,
                null, null, null, null)), new JobChange(ended, JobState.RUNNING, end, new AttemptRecord(j.id(), 1,
                host, start, end, state, exit, 0, state == JobState.FAILED ? "exit code 1" : null)));
    }
}
