package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
 * The CPU ids nodes send as JSON on the bus (the coordinator's runner-running, the other node's heartbeat) reach the
 * attempt's record in SQLite, node by node in the allocation's order; a runner-running without them, a node-runner's
 * from before, leaves the attempt with none. Against a real embedded broker and SQLite file, the test playing the
 * nodes.
 */
class AttemptCpusIntegrationTest {
    private static <T extends Message> T receive(MessageConsumer from, Class<T> type) throws Exception {
        TextMessage m = (TextMessage) from.receive(10_000);
        assertNotNull(m, "no " + type.getSimpleName() + " within 10 s");
        return assertInstanceOf(type, MessageCodec.decode(m.getText()));
    }

    private static String heartbeat(String node, String host, String running, String cpus) {
        return "{\"version\": 1, \"type\": \"node-heartbeat\", \"nodeId\": \"" + node + "\", \"hostname\": \"" + host
                + "\", \"cores\": 4, \"memoryMb\": 4096, \"gpus\": 0, \"running\": [" + running + "], \"time\": \""
                + Instant.now() + "\"" + (cpus == null ? "" : ", \"cpus\": [" + cpus + "]") + "}";
    }

    private static String started(long jobId, String cpus) {
        return "{\"version\": 1, \"type\": \"runner-running\", \"jobId\": " + jobId + ", \"attempt\": 1, \"nodeId\":"
                + " \"n1\", \"time\": \"" + Instant.now() + "\"" + (cpus == null ? "" : ", \"cpus\": \"" + cpus + "\"")
                + "}";
    }

    private static String finished(long jobId) {
        return "{\"version\": 1, \"type\": \"runner-finished\", \"jobId\": " + jobId + ", \"attempt\": 1, \"nodeId\":"
                + " \"n1\", \"exitCode\": 0, \"signal\": 0, \"time\": \"" + Instant.now() + "\"}";
    }

    @Test
    void theCpusNodesSayAreStoredWithTheAttemptNodeByNode(@TempDir Path dir) throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageConsumer ended = s.createConsumer(s.createTopic(Destinations.EVENTS), "state = 'COMPLETED'");
            c.start();
            head.scheduler().start();
            Session node = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer runner = node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(node.createTextMessage(heartbeat("n1", "host1", "", null)));
            runner.send(node.createTextMessage(heartbeat("n2", "host2", "", null)));
            node.commit();
            JobSpec.Builder spec = JobSpec.builder().user("alice").script("#!/bin/sh\ntrue\n").workDir("/tmp");
            head.scheduler().admit(List.of(new JobStore.NewJob("wide", spec.name("wide").nodes(2).tasks(2)
                    .memoryMb(100L).build(), Instant.now(), "None")));
            NodeCommand.PlaceJob wide = receive(commands, NodeCommand.PlaceJob.class);
            head.scheduler().admit(List.of(new JobStore.NewJob("old", spec.name("old").nodes(1).tasks(1)
                    .memoryMb(null).nodelist(List.of("host1")).build(), Instant.now(), "None")));
            NodeCommand.PlaceJob old = receive(commands, NodeCommand.PlaceJob.class);

            String attempt = "{\"jobId\": " + wide.jobId() + ", \"attempt\": 1}";
            runner.send(node.createTextMessage(started(wide.jobId(), "1,0")));
            runner.send(node.createTextMessage(started(old.jobId(), null)));
            runner.send(node.createTextMessage(heartbeat("n2", "host2", attempt, "{\"jobId\": " + wide.jobId()
                    + ", \"attempt\": 1, \"cpus\": \"3\"}")));
            runner.send(node.createTextMessage(finished(wide.jobId())));
            runner.send(node.createTextMessage(finished(old.jobId())));
            node.commit();
            // Decided in that order, each stored before its events go: once the last end is published, all are.
            receive(ended, JobEvent.JobStateChanged.class);
            JobEvent.JobStateChanged last = receive(ended, JobEvent.JobStateChanged.class);
            assertEquals(old.jobId(), last.jobId());

            AttemptRecord a = head.jobs().history().attempts(wide.jobId()).get(0);
            assertEquals(JobState.COMPLETED, a.state());
            assertEquals(List.of(new AttemptRecord.NodeCpus("n1", "host1", "0-1", 100),
                    new AttemptRecord.NodeCpus("n2", "host2", "3", 100)), a.cpus());
            assertNull(head.jobs().history().attempts(old.jobId()).get(0).cpus(), "its node said nothing");
        }
    }
}
