package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.RequestClient;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
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
 * update-job's reservation and a reservation's NO_HOLD_JOBS_AFTER_END over the real broker, against the real
 * scheduler and SQLite: a pending job moved into a reservation is stored so and refused for a name the head has not;
 * when that reservation is deleted its job leaves it unheld (NO_HOLD_JOBS_AFTER_END) or held with Slurm's words for
 * why ("Reservation NAME was deleted"), and a restarted head reads it so.
 */
class ReservationJobUpdateIntegrationTest {
    @TempDir
    Path dir;

    private static ClientReply send(RequestClient client, ClientRequest request) throws Exception {
        return client.send(request).get(10, TimeUnit.SECONDS);
    }

    private static ClientReply.ControlResult move(RequestClient client, long job, String reservation)
            throws Exception {
        return assertInstanceOf(ClientReply.ControlResult.class, send(client, new ControlRequest.UpdateJob(job, null,
                null, null, null, null, null, null, null, null, null, null, null, null, reservation)));
    }

    private static void reserve(RequestClient client, String name, String host, List<String> flags)
            throws Exception {
        var made = (ClientReply.ReservationResult) send(client, new ReservationRequest.CreateReservation(name,
                Instant.now().plusSeconds(3600), null, 3600L, host, List.of("alice"), flags, "root", true));
        assertTrue(made.ok(), made.toString());
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 15 s");
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    @Test
    void aJobMovedIntoAReservationLeavesItHeldOrNotAsTheReservationsFlagsSayWhenItIsDeleted() throws Exception {
        long unheld;
        long held;
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection submitter = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "scontrol");
                RequestClient client = new RequestClient(submitter)) {
            head.scheduler().start();
            for (String host : List.of("host1", "host2")) {
                head.scheduler().apply(() -> head.scheduler().core().onRunnerEvent(new RunnerEvent.NodeHeartbeat(
                        host, host, List.of("10.0.0.1"), 8, 4096, 0, List.of(), Instant.now())));
            }
            reserve(client, "loose", "host1", List.of(AdvanceReservation.NO_HOLD_JOBS_AFTER_END));
            reserve(client, "strict", "host2", List.of());
            // Waiting for a begin time an hour away, so that neither starts before its reservation goes.
            JobSpec later = JobSpec.builder().name("later").user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp")
                    .tasks(1).timeLimitSeconds(60L).beginTime(Instant.now().plusSeconds(3600)).build();
            unheld = ((ClientReply.JobAccepted) send(client, new ClientRequest.SubmitJob("k1", later))).jobId();
            held = ((ClientReply.JobAccepted) send(client, new ClientRequest.SubmitJob("k2", later))).jobId();

            ClientReply.ControlResult unknown = move(client, unheld, "nope");
            assertFalse(unknown.ok());
            assertEquals("reservation: no reservation is named nope", unknown.reason());
            assertTrue(move(client, unheld, "loose").ok());
            assertTrue(move(client, held, "strict").ok());
            assertEquals("loose", head.jobs().find(unheld).orElseThrow().spec().reservation(), "stored");
            assertEquals("strict", head.jobs().find(held).orElseThrow().spec().reservation());

            for (String name : List.of("loose", "strict")) {
                var deleted = (ClientReply.ReservationResult) send(client,
                        new ReservationRequest.DeleteReservation(name, "root", true));
                assertTrue(deleted.ok(), deleted.toString());
            }
            await(() -> head.jobs().find(held).orElseThrow().spec().hold() != null, "hold stored");
        }
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { })) {
            head.scheduler().start();
            JobRecord free = head.jobs().find(unheld).orElseThrow();
            assertNull(free.spec().reservation(), "it left its reservation");
            assertNull(free.spec().hold(), "NO_HOLD_JOBS_AFTER_END: not held");
            JobRecord stopped = head.jobs().find(held).orElseThrow();
            assertNull(stopped.spec().reservation());
            assertEquals(JobSpec.HOLD_USER, stopped.spec().hold());
            assertEquals("Reservation strict was deleted", stopped.reason());
            await(() -> head.scheduler().core().job(held).map(JobRecord::reason).orElse("")
                    .equals("Reservation strict was deleted"), "the restarted head to keep saying why");
        }
    }
}
