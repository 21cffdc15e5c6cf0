package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobEventRow;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner events arriving together are decided and saved as one batch: every job still goes through each of its
 * states in order, and every change is published. Against a real embedded broker and a real SQLite file.
 */
class RunnerEventIntakeIntegrationTest {
    private static final int JOBS = 8;
    @TempDir
    Path dir;
    SchedulerOnBroker head;
    SchedulerService scheduler;
    JobStore jobs;

    @AfterEach
    void stop() throws Exception {
        if (head != null) {
            head.close();
        }
    }

    private static JobStore.NewJob job(String key) {
        return new JobStore.NewJob(key, JobSpec.builder().name(key).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").build(), Instant.now(), "None");
    }

    /**
     * Also: a listener in the scheduler's process hears exactly what the broker's subscribers get, in the same
     * order and the same text (the web's event streams hear events this way).
     */
    @Test
    void runningAndFinishedEventsSentTogetherEndEveryJobInOrder() throws Exception {
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
        BrokerUsers users = head.users();
        jobs = head.jobs();
        scheduler = head.scheduler();
        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        Semaphore heardOne = new Semaphore(0);
        scheduler.addEventListener((event, json) -> {
            heard.add(json.equals(MessageCodec.encode(event)) ? json : "not the text of " + event + ": " + json);
            heardOne.release();
        });
        scheduler.addEventListener((event, json) -> {
            throw new IllegalStateException("a listener that fails changes nothing for the others");
        });
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "node-and-watcher")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer completions = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    "state = 'COMPLETED'");
            MessageConsumer placements = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageConsumer everything = s.createConsumer(s.createTopic(Destinations.EVENTS));
            scheduler.start();
            Session node = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer runner = node.createProducer(node.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), JOBS, 4096, 0, List.of(), Instant.now()))));
            node.commit();
            List<JobStore.NewJob> wanted = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                wanted.add(job("k" + i));
            }
            scheduler.admit(wanted);

            List<NodeCommand.PlaceJob> placed = new ArrayList<>();
            int messages = 0;
            while (placed.size() < JOBS) {
                TextMessage m = (TextMessage) placements.receive(10_000);
                assertNotNull(m, "placed so far: " + placed.size());
                messages++;
                if (MessageCodec.decode(m.getText()) instanceof NodeCommand.PlaceJobs many) {
                    placed.addAll(many.placements());
                } else {
                    placed.add(assertInstanceOf(NodeCommand.PlaceJob.class, MessageCodec.decode(m.getText())));
                }
            }
            // One pass placed them all, and they went to the node as one place-jobs message.
            assertEquals(1, messages, "place-jobs messages for " + JOBS + " jobs placed in one pass");
            // All at once, in one broker transaction: the intake takes them as one batch, or a few. The first
            // half as single events, the second half as one runner-events message, as a busy node sends them.
            List<RunnerEvent> batched = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                NodeCommand.PlaceJob p = placed.get(i);
                List<RunnerEvent> pair = List.of(new RunnerEvent.RunnerRunning(p.jobId(), p.attempt(), "n1",
                        Instant.now()), new RunnerEvent.RunnerFinished(p.jobId(), p.attempt(), "n1", 0, 0, null,
                        Instant.now()));
                if (i < JOBS / 2) {
                    for (RunnerEvent e : pair) {
                        runner.send(node.createTextMessage(MessageCodec.encode(e)));
                    }
                } else {
                    batched.addAll(pair);
                }
            }
            runner.send(node.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerEvents("n1", batched,
                    Instant.now()))));
            node.commit();

            Set<Long> completed = new HashSet<>();
            while (completed.size() < JOBS) {
                TextMessage m = (TextMessage) completions.receive(10_000);
                assertNotNull(m, "completions published so far: " + completed);
                completed.add(assertInstanceOf(JobEvent.JobStateChanged.class, MessageCodec.decode(m.getText()))
                        .jobId());
            }
            for (NodeCommand.PlaceJob p : placed) {
                JobRecord j = jobs.find(p.jobId()).orElseThrow();
                assertEquals(JobState.COMPLETED, j.state());
                assertTrue(j.launchConfirmed(), "the running event was saved before the finished one");
                assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED),
                        jobs.history().events(p.jobId()).stream().map(JobEventRow::to).toList());
                assertEquals(JobState.COMPLETED, jobs.history().attempts(p.jobId()).get(0).state());
            }
            assertEquals(3L * JOBS, jobs.outbox().lastEventSeq());
            List<String> delivered = new ArrayList<>();
            for (TextMessage m = (TextMessage) everything.receive(10_000); m != null;
                    m = (TextMessage) everything.receive(delivered.size() < 3 * JOBS ? 10_000 : 200)) {
                delivered.add(m.getText());
            }
            assertTrue(delivered.size() > 3 * JOBS, "every job's three events and the node's: " + delivered.size());
            // The listeners are told once the broker has committed, so a subscriber may have the last events first.
            assertTrue(heardOne.tryAcquire(delivered.size(), 10, TimeUnit.SECONDS), "the listener heard " + heard);
            assertEquals(delivered, List.copyOf(heard));
        }
    }
}
