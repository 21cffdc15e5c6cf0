package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.RequestClient;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Advance reservations over the real broker, against the real scheduler and SQLite: made and refused as the
 * operator's requests say, kept in SQLite across a head restart, keeping a job off its node while the job's time
 * limit would run into it, refusing a submission to it from a user it does not admit, and deleted once it ends.
 */
class ReservationIntegrationTest {
    @TempDir
    Path dir;

    private static ClientReply send(RequestClient client, ClientRequest request) throws Exception {
        return client.send(request).get(10, TimeUnit.SECONDS);
    }

    private static ReservationRequest.CreateReservation create(String name, Instant start, long seconds,
            String nodes, List<String> flags, boolean operator) {
        return new ReservationRequest.CreateReservation(name, start, null, seconds, nodes, List.of("alice"), flags,
                "root", operator);
    }

    private static JobStore.NewJob job(String name, String user, String reservation, long limit) {
        return new JobStore.NewJob(name, JobSpec.builder().name(name).user(user).script("#!/bin/sh\nsleep 60\n")
                .workDir("/tmp").tasks(8).timeLimitSeconds(limit).reservation(reservation).build(), Instant.now(),
                "None");
    }

    private static void await(int seconds, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s");
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private static void heartbeat(Connection node, String id, String host) throws Exception {
        Session s = node.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
        runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat(id, host,
                List.of("10.0.0.1"), 8, 4096, 0, List.of(), Instant.now()))));
        s.commit();
        s.close();
    }

    @Test
    void aReservationIsMadeByTheOperatorKeptAcrossARestartKeepsJobsOffAndGoesOnceEnded() throws Exception {
        ReservationStore stored = new ReservationStore(Database.open(dir.resolve("cadre.db")));
        Instant start = Instant.now().plusSeconds(3600);
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection node = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node");
                Connection submitter = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "scontrol");
                RequestClient client = new RequestClient(submitter)) {
            head.scheduler().start();
            heartbeat(node, "n1", "host1");
            heartbeat(node, "n2", "host2");
            await(10, () -> head.scheduler().core().nodes().size() == 2, "two nodes");

            var denied = (ClientReply.ReservationResult) send(client, create("maint", start, 7200, "host2",
                    List.of("MAINT"), false));
            assertEquals(ReservationRefusal.ACCESS_DENIED, denied.code());
            assertTrue(stored.list().isEmpty(), "a refused request stores nothing");
            var unknown = (ClientReply.ReservationResult) send(client, create("maint", start, 7200, "host9",
                    List.of("MAINT"), true));
            assertEquals(ReservationRefusal.INVALID_NODE, unknown.code());

            var made = (ClientReply.ReservationResult) send(client, create("maint", start, 7200, "host2",
                    List.of("MAINT"), true));
            assertTrue(made.ok(), made.toString());
            assertEquals(List.of("MAINT", "SPEC_NODES"), made.reservation().flags());
            assertEquals(List.of(made.reservation()), stored.list());

            // Two jobs of a whole node each for two hours: one on host1, the other kept off host2.
            List<Long> ids = head.scheduler().admit(List.of(job("a", "bob", null, 7200), job("b", "bob", null,
                    7200))).stream().map(a -> a.job().id()).toList();
            await(10, () -> "ReqNodeNotAvail, Reserved for maintenance".equals(
                    head.jobs().find(ids.get(1)).orElseThrow().reason()), "job b waits for the maintenance window");
            assertEquals("host1", head.jobs().find(ids.get(0)).orElseThrow().allocation().hostnames());
        }

        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection submitter = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "sbatch");
                RequestClient client = new RequestClient(submitter)) {
            head.scheduler().start();
            assertEquals(List.of("maint"), head.scheduler().core().reservations().list().stream()
                    .map(AdvanceReservation::name).toList(), "a restarted head has it again");
            var refused = (ClientReply.JobRejected) send(client, new ClientRequest.SubmitJob("k1", job("c", "bob",
                    "maint", 60).spec()));
            assertEquals(RejectionCode.RESERVATION_ACCESS, refused.code());
            var short1 = (ClientReply.ReservationResult) send(client, create("brief", Instant.now(), 2, "host1",
                    List.of("IGNORE_JOBS"), true));
            assertTrue(short1.ok(), short1.toString());
            await(15, () -> stored.list().stream().noneMatch(r -> r.name().equals("brief")),
                    "the ended reservation deleted");
            assertFalse(head.scheduler().core().reservations().list().stream().anyMatch(r -> r.name().equals(
                    "brief")));

            var deleted = (ClientReply.ReservationResult) send(client, new ReservationRequest.DeleteReservation(
                    "maint", "root", true));
            assertTrue(deleted.ok(), deleted.toString());
            assertTrue(stored.list().isEmpty());
            assertEquals(ReservationRefusal.NOT_FOUND, ((ClientReply.ReservationResult) send(client,
                    new ReservationRequest.DeleteReservation("maint", "root", true))).code());
        }
    }
}
