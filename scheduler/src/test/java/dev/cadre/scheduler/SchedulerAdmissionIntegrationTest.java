package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RejectionCode;
import jakarta.jms.Connection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** admitOrReject against a real SQLite file: refused jobs store nothing, resubmissions keep their job. */
class SchedulerAdmissionIntegrationTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    Connection connection;
    SchedulerService scheduler;
    JobStore jobs;
    NodeStore nodes;

    void start(NodeRecord... known) throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        jobs = new JobStore(Database.open(dir.resolve("cadre.db")));
        nodes = new NodeStore(Database.open(dir.resolve("cadre.db")));
        for (NodeRecord n : known) {
            nodes.upsert(n);
        }
        connection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "scheduler");
        scheduler = new SchedulerService(connection, jobs, nodes,
                new ServiceStore(Database.open(dir.resolve("cadre.db"))),
                new ReservationStore(Database.open(dir.resolve("cadre.db"))),
                new PartitionStore(Database.open(dir.resolve("cadre.db"))), Clock.systemUTC(),
                new SchedulerService.Settings(
                Duration.ofSeconds(30), Duration.ofSeconds(1), 500, "secret", e -> { })).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
            connection.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static JobStore.NewJob job(String key, int cpusPerTask) {
        return new JobStore.NewJob(key, JobSpec.builder().user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                .cpusPerTask(cpusPerTask).build(), Instant.now(), "None");
    }

    @Test
    void aJobNoKnownNodeCouldHoldIsRefusedAndNothingIsStored() throws Exception {
        start(new NodeRecord("n1", "host1", List.of(), 8, 1024, 0, NodeRecord.NodeState.DOWN, Instant.now(), null));
        var outcomes = scheduler.admitOrReject(List.of(job("k1", 2), job("k2", 64), job("k3", 8)));
        assertNotNull(outcomes.get(0).admission());
        assertNull(outcomes.get(1).admission());
        assertEquals(RejectionCode.UNSATISFIABLE, outcomes.get(1).rejection().code());
        assertEquals("spec.cpusPerTask", outcomes.get(1).rejection().problem().field());
        assertEquals("asks 64 CPUs per task; the largest node has 8", outcomes.get(1).rejection().problem().message());
        assertNotNull(outcomes.get(2).admission());
        assertTrue(jobs.findBySubmissionKeys(List.of("k2")).isEmpty());
        assertEquals(2, jobs.unfinished().size());
    }

    @Test
    void eachRefusalHasTheCodeOfItsKind() throws Exception {
        start(new NodeRecord("n1", "host1", List.of(), 8, 1024, 0, NodeRecord.NodeState.UP, Instant.now(), null));
        JobSpec base = job("any", 1).spec();
        var outcomes = scheduler.admitOrReject(List.of(
                new JobStore.NewJob("nodes", base.toBuilder().nodes(2).build(), Instant.now(), "None"),
                new JobStore.NewJob("elsewhere", base.toBuilder().nodelist(List.of("host9")).build(), Instant.now(),
                        "None"),
                new JobStore.NewJob("small", base.toBuilder().nodelist(List.of("host1")).memoryMb(4096L).build(),
                        Instant.now(), "None"),
                new JobStore.NewJob("after", base.toBuilder().dependency("afterok:999").build(), Instant.now(),
                        "None")));
        assertEquals(List.of(RejectionCode.UNSATISFIABLE, RejectionCode.UNKNOWN_NODE, RejectionCode.UNSATISFIABLE,
                RejectionCode.UNKNOWN_DEPENDENCY), outcomes.stream().map(o -> o.rejection().code()).toList());
        assertEquals(List.of("spec.nodes", "spec.nodelist", "spec.memoryMb", "spec.dependency"),
                outcomes.stream().map(o -> o.rejection().problem().field()).toList());
        assertTrue(jobs.unfinished().isEmpty(), "nothing is stored");
    }

    @Test
    void aResubmissionIsAnsweredWithItsJobEvenIfTheClusterShrankSince() throws Exception {
        start();
        // No node yet: the job is accepted and waits.
        var first = scheduler.admitOrReject(List.of(job("k1", 64))).get(0).admission();
        assertNotNull(first);
        nodes.upsert(new NodeRecord("n1", "host1", List.of(), 8, 1024, 0, NodeRecord.NodeState.UP, Instant.now(),
                null));
        synchronized (scheduler.core()) {
            scheduler.core().recover(List.of(), nodes.list(), 0);
        }
        var again = scheduler.admitOrReject(List.of(job("k1", 64), job("k2", 64)));
        assertTrue(again.get(0).admission().duplicate());
        assertEquals(first.job().id(), again.get(0).admission().job().id());
        assertEquals("spec.cpusPerTask", again.get(1).rejection().problem().field());
    }
}
