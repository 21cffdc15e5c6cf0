package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ResourceUsage;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usage a node sends with runner-finished, as JSON on the bus, reaches the attempt's row in SQLite: for an
 * attempt it ends, and for one the head had closed as NODE_FAIL on its own (its late end). Against a real embedded
 * broker and SQLite file, the test playing the node.
 */
class AttemptUsageIntegrationTest {
    private static JobStore.NewJob job(String key, int maxAttempts) {
        return new JobStore.NewJob(key, JobSpec.builder().name(key).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").maxAttempts(maxAttempts).build(), Instant.now(), "None");
    }

    private static <T extends Message> T receive(MessageConsumer from, Class<T> type) throws Exception {
        TextMessage m = (TextMessage) from.receive(10_000);
        assertNotNull(m, "no " + type.getSimpleName() + " within 10 s");
        return assertInstanceOf(type, MessageCodec.decode(m.getText()));
    }

    @Test
    void theUsageSentWithRunnerFinishedIsStoredWithItsAttemptEndedThenOrEarlier(@TempDir Path dir) throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageConsumer ended = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    "state = 'COMPLETED' OR state = 'NODE_FAIL'");
            c.start();
            head.scheduler().start();
            Session node = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer runner = node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 4, 4096, 0, List.of(), Instant.now()))));
            node.commit();
            head.scheduler().admit(List.of(job("done", 3), job("lost", 1)));
            List<NodeCommand.PlaceJob> placed = new ArrayList<>();
            while (placed.size() < 2) {
                Message m = MessageCodec.decode(((TextMessage) commands.receive(10_000)).getText());
                if (m instanceof NodeCommand.PlaceJobs many) {
                    placed.addAll(many.placements());
                } else {
                    placed.add(assertInstanceOf(NodeCommand.PlaceJob.class, m));
                }
            }
            NodeCommand.PlaceJob done = placed.get(0).spec().name().equals("done") ? placed.get(0) : placed.get(1);
            NodeCommand.PlaceJob lost = done == placed.get(0) ? placed.get(1) : placed.get(0);

            // Both start; then a heartbeat lists only one: the head asks after the other, and the node has no end
            // of it to give. Its only attempt is lost: the job ends NODE_FAIL, its record with no usage.
            for (NodeCommand.PlaceJob p : placed) {
                runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerRunning(p.jobId(),
                        p.attempt(), "n1", Instant.now()))));
            }
            runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 4, 4096, 0, List.of(new RunnerEvent.RunningAttempt(done.jobId(),
                    done.attempt())), Instant.now()))));
            node.commit();
            assertEquals(lost.jobId(), receive(commands, NodeCommand.QueryAttempt.class).jobId());
            runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerReleased(lost.jobId(),
                    lost.attempt(), "n1", Instant.now()))));
            node.commit();
            assertEquals(JobState.NODE_FAIL, receive(ended, JobEvent.JobStateChanged.class).state());
            assertEquals(null, head.jobs().history().attempts(lost.jobId()).get(0).usage());

            // The lost attempt's real end comes late, then the other's, each with its usage as a node sends it.
            runner.send(node.createTextMessage(finished(lost.jobId(), lost.attempt(), "NODE_FAIL",
                    "{\"userCpuMicros\": 1500000, \"systemCpuMicros\": 250000, \"maxRssBytes\": 10686464}")));
            runner.send(node.createTextMessage(finished(done.jobId(), done.attempt(), null,
                    "{\"userCpuMicros\": 5820000, \"systemCpuMicros\": 410000, \"maxRssBytes\": null}")));
            node.commit();
            // Decided in that order: once the later one's end is published, both are stored.
            JobEvent.JobStateChanged completed = receive(ended, JobEvent.JobStateChanged.class);
            assertEquals(done.jobId(), completed.jobId());

            AttemptRecord doneAttempt = head.jobs().history().attempts(done.jobId()).get(0);
            assertEquals(JobState.COMPLETED, doneAttempt.state());
            assertEquals(new ResourceUsage(5_820_000L, 410_000L, null), doneAttempt.usage());
            AttemptRecord lostAttempt = head.jobs().history().attempts(lost.jobId()).get(0);
            assertEquals(JobState.NODE_FAIL, lostAttempt.state(), "a late end leaves the state");
            assertEquals(new ResourceUsage(1_500_000L, 250_000L, 10_686_464L), lostAttempt.usage());
        }
    }

    /** runner-finished as a node-runner writes it, usage included. */
    private static String finished(long jobId, int attempt, String killedFor, String usage) {
        return "{\"version\": 1, \"type\": \"runner-finished\", \"jobId\": " + jobId + ", \"attempt\": " + attempt
                + ", \"nodeId\": \"n1\", \"exitCode\": 0, \"signal\": " + (killedFor == null ? 0 : 9)
                + ", \"killedFor\": " + (killedFor == null ? "null" : "\"" + killedFor + "\"") + ", \"time\": \""
                + Instant.now() + "\", \"error\": null, \"usage\": " + usage + "}";
    }
}
