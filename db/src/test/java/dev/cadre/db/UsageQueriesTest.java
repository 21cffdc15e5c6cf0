package dev.cadre.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.UsageQueries.UserJobSize;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real SQLite file: alice's 2-CPU job ran from T+10 s to T+70 s; bob's 3-CPU job runs since T+20 s; carol's
 * 4-CPU job ran 100 s, was requeued and ran 100 s more; dave's job ran 50 s and waits to run again (its record holds no
 * allocation: it asks for 2 tasks of 3 CPUs); erin's ended before every window here.
 */
class UsageQueriesTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant NOW = T.plusSeconds(620);
    @TempDir
    Path dir;
    private JobStore store;

    @BeforeEach
    void fill() {
        store = new JobStore(Database.open(dir.resolve("cadre.db")));
        JobSpec daves = JobSpec.builder().name("d").user("dave").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .tasks(2).cpusPerTask(3).build();
        List<JobStore.Admission> a = store.admit(List.of(JobStoreTest.job("a", "alice"), JobStoreTest.job("b", "bob"),
                JobStoreTest.job("c", "carol"), new JobStore.NewJob("d", daves, T.minusSeconds(900), "None"),
                JobStoreTest.job("e", "erin")));
        JobRecord erin = start(a.get(4).job(), 1, 8, T.minusSeconds(500));
        end(erin, T.minusSeconds(400), JobState.COMPLETED);
        JobRecord alice = start(a.get(0).job(), 1, 2, T.plusSeconds(10));
        end(alice, T.plusSeconds(70), JobState.COMPLETED);
        start(a.get(1).job(), 1, 3, T.plusSeconds(20));
        JobRecord carol = start(a.get(2).job(), 1, 4, T.plusSeconds(100));
        JobRecord again = requeue(carol, T.plusSeconds(200));
        JobRecord carol2 = start(again, 2, 4, T.plusSeconds(300));
        end(carol2, T.plusSeconds(400), JobState.COMPLETED);
        JobRecord dave = start(a.get(3).job(), 1, 6, T.minusSeconds(30));
        requeue(dave, T.plusSeconds(20));
    }

    private JobRecord start(JobRecord j, int attempt, int cpus, Instant at) {
        JobRecord running = j.started(attempt, new Allocation(List.of(new Allocation.NodeSlots("n1", "node1", 1, cpus,
                0, 0))), at);
        store.save(List.of(new JobChange(running, j.state(), at, new AttemptRecord(j.id(), attempt, "node1", at, null,
                null, null, null, null))));
        return running;
    }

    private void end(JobRecord running, Instant at, JobState state) {
        store.save(List.of(new JobChange(running.ended(state, null, 0, 0, at), JobState.RUNNING, at,
                new AttemptRecord(running.id(), running.attempt(), "node1", running.startTime(), at, state, 0, 0,
                        null))));
    }

    private JobRecord requeue(JobRecord running, Instant at) {
        JobRecord requeued = running.requeued("Requeued: by request", null);
        store.save(List.of(new JobChange(requeued, JobState.RUNNING, at, new AttemptRecord(running.id(),
                running.attempt(), "node1", running.startTime(), at, JobState.REQUEUED, 0, 0, null))));
        JobRecord pending = requeued.withState(JobState.PENDING, "None");
        store.save(List.of(new JobChange(pending, JobState.REQUEUED, at, null)));
        return pending;
    }

    @Test
    void everyAttemptCountsItsCpusTimesItsSecondsInTheWindow() {
        assertEquals(List.of(new UserJobSize("alice", 2, 1, 120), new UserJobSize("bob", 3, 1, 1800),
                        new UserJobSize("carol", 4, 1, 800), new UserJobSize("dave", 6, 1, 120)),
                store.usage().byUserAndSize(T, T.plusSeconds(3600), NOW, List.of()));
    }

    @Test
    void attemptsStraddlingTheWindowAreCut() {
        // [T+50, T+350): alice 20 s, bob 300 s, carol 100 s of her first run and 50 s of her second, dave none.
        assertEquals(List.of(new UserJobSize("alice", 2, 1, 40), new UserJobSize("bob", 3, 1, 900),
                        new UserJobSize("carol", 4, 1, 600)),
                store.usage().byUserAndSize(T.plusSeconds(50), T.plusSeconds(350), NOW, List.of()));
    }

    @Test
    void onlyTheUsersAskedForAreRead() {
        assertEquals(List.of(new UserJobSize("bob", 3, 1, 1800), new UserJobSize("erin", 8, 1, 800)),
                store.usage().byUserAndSize(T.minusSeconds(3600), T.plusSeconds(3600), NOW, List.of("bob", "erin",
                        "zed")));
    }

    @Test
    void theClusterIsTheNodesKnownNow() {
        assertEquals(0, store.usage().clusterCpus());
        NodeStore nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        nodes.upsert(new NodeRecord("n1", "node1", List.of(), 8, 1024, 0, NodeRecord.NodeState.UP, T, null));
        nodes.upsert(new NodeRecord("n2", "node2", List.of(), 4, 1024, 0, NodeRecord.NodeState.DOWN, T, "silent"));
        assertEquals(12, store.usage().clusterCpus());
    }
}
