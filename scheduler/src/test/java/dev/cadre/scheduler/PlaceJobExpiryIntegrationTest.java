package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 97, finding 4: a place-job that waited in the queue of a node that was away must not start a script the
 * head has closed meanwhile. It goes with a time to live of the node timeout (30 s here); other commands, a kill-job
 * above all, live until taken.
 */
class PlaceJobExpiryIntegrationTest {
    @Test
    void aPlaceJobExpiresAfterTheNodeTimeoutAndAKillJobNever(@TempDir Path dir) throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            c.start();
            head.scheduler().start();
            MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 2, 4096, 0, List.of(), Instant.now()))));
            long before = System.currentTimeMillis();
            head.scheduler().admit(List.of(new JobStore.NewJob("k1", JobSpec.builder().name("j").user("alice")
                    .script("#!/bin/sh\nsleep 60\n").workDir("/tmp").build(), Instant.now(), "None")));

            TextMessage placed = (TextMessage) commands.receive(10_000);
            assertNotNull(placed, "no place-job");
            NodeCommand.PlaceJob place = assertInstanceOf(NodeCommand.PlaceJob.class,
                    MessageCodec.decode(placed.getText()));
            long expires = placed.getJMSExpiration();
            assertTrue(expires >= before + 30_000 && expires <= System.currentTimeMillis() + 30_000,
                    "a place-job expires one node timeout after it is sent; its expiration: " + expires + ", sent"
                            + " after " + before);

            head.scheduler().control(new ControlRequest.CancelJob(place.jobId()));
            TextMessage kill = (TextMessage) commands.receive(10_000);
            assertNotNull(kill, "no kill-job");
            assertInstanceOf(NodeCommand.KillJob.class, MessageCodec.decode(kill.getText()));
            assertEquals(0, kill.getJMSExpiration(), "a kill-job must wait for its node however long it is away");
        }
    }
}
