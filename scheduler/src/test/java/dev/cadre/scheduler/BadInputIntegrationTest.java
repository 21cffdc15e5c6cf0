package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobEventRow;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request or runner event that any client or node could send, unchecked by the web, is answered or dropped on
 * its own: the scheduler neither stores it nor stops (a stop would exit the head, and a stored bad value would stop
 * every restart too). Against a real embedded broker and a real SQLite file.
 */
class BadInputIntegrationTest {
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SchedulerService scheduler;
    JobStore jobs;
    final List<Throwable> fatal = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        if (head != null) {
            head.close();
        }
    }

    private static JobStore.NewJob job(String key) {
        return new JobStore.NewJob(key, JobSpec.builder().name(key).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").timeLimitSeconds(600L).build(), Instant.now(), "None");
    }

    @Test
    void anUnsafeUpdateIsRefusedAndABogusKillReasonDroppedWhileTheSchedulerGoesOn() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), fatal::add);
        BrokerUsers users = head.users();
        jobs = head.jobs();
        scheduler = head.scheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer placements = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
            scheduler.start();
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 1, 4096, 0, List.of(), Instant.now()))));
            long first = scheduler.admit(List.of(job("first"))).get(0).job().id();
            NodeCommand.PlaceJob placed = placement(placements);
            assertEquals(first, placed.jobId());
            long second = scheduler.admit(List.of(job("second"))).get(0).job().id();

            // What scontrol update over the web would refuse, sent as update-job by any client.
            JobSpec before = jobs.find(second).orElseThrow().spec();
            var refused = assertInstanceOf(ClientReply.ControlResult.class, scheduler.control(
                    new ControlRequest.UpdateJob(second, null, 4_000_000_000_000_000_000L, null, null, null)));
            assertFalse(refused.ok());
            assertTrue(refused.reason().contains("timeLimitSeconds"), refused.reason());
            assertEquals(before, jobs.find(second).orElseThrow().spec());

            // A kill reason no kill is made for: the event is dropped, the job keeps running.
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(first,
                    placed.attempt(), "n1", 0, 0, JobState.PENDING, Instant.now(), null))));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(first,
                    placed.attempt(), "n1", 0, 0, null, Instant.now(), null))));
            assertEquals(second, placement(placements).jobId(), "the next events and passes are handled");
            assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED),
                    jobs.history().events(first).stream().map(JobEventRow::to).toList());
            assertEquals(List.of(), fatal);
        }
    }

    private static NodeCommand.PlaceJob placement(MessageConsumer placements) throws Exception {
        TextMessage m = (TextMessage) placements.receive(10_000);
        assertNotNull(m, "nothing placed");
        Object command = MessageCodec.decode(m.getText());
        if (command instanceof NodeCommand.PlaceJobs many) {
            return many.placements().get(0);
        }
        return assertInstanceOf(NodeCommand.PlaceJob.class, command);
    }
}
