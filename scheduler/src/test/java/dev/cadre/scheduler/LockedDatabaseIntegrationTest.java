package dev.cadre.scheduler;

import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.send;
import static dev.cadre.scheduler.SubmissionIntakeIntegrationTest.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another program (an operator's sqlite3, a backup) holds cadre.db's write lock for longer than the 10 s busy
 * timeout. A submission that meets the lock is held and accepted once, not rolled back until it is dead-lettered,
 * and a job's end that meets it is stored afterwards, not taken for a fatal error that stops the head. Slow (about
 * 25 s): the busy timeout is the head's own and must pass twice, once for each.
 */
class LockedDatabaseIntegrationTest {
    /** Past two busy timeouts: the submission meets the first, the job's end (queued behind it) the second. */
    private static final Duration LOCK = Duration.ofSeconds(22);
    @TempDir
    Path dir;
    SchedulerOnBroker head;

    @AfterEach
    void stop() throws Exception {
        if (head != null) {
            head.close();
        }
    }

    @Test
    void aLockHeldPastTheBusyTimeoutHoldsASubmissionAndAJobsEndUntilItEnds() throws Exception {
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), fatal::set);
        SchedulerService scheduler = head.scheduler();
        JobStore jobs = head.jobs();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "client-and-node")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer placements = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageConsumer running = s.createConsumer(s.createTopic(Destinations.EVENTS), "state = 'RUNNING'");
            MessageConsumer ended = s.createConsumer(s.createTopic(Destinations.EVENTS), "state = 'COMPLETED'");
            MessageConsumer dead = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS));
            Queue replyQueue = s.createTemporaryQueue();
            MessageConsumer replies = s.createConsumer(replyQueue);
            scheduler.start();
            MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 2, 4096, 0, List.of(), Instant.now()))));
            scheduler.admit(List.of(new JobStore.NewJob("runs", JobSpec.builder().name("runs").user("alice")
                    .script("#!/bin/sh\ntrue\n").workDir("/tmp").build(), Instant.now(), "None")));
            NodeCommand.PlaceJob placed = placement((TextMessage) placements.receive(10_000));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerRunning(placed.jobId(),
                    placed.attempt(), "n1", Instant.now()))));
            assertNotNull(running.receive(10_000), "the job did not start");

            Path file = dir.resolve("cadre.db");
            try (var holder = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                holder.createStatement().execute("BEGIN IMMEDIATE");
                long lockedAt = System.nanoTime();
                send(s, replyQueue, submit("during"), "c-during");
                awaitTaken(s, Destinations.SUBMIT);
                // Queued behind the submission's write (one lock guards the scheduler's state), so it meets the
                // lock after the submission's busy timeout has passed.
                runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(placed.jobId(),
                        placed.attempt(), "n1", 0, 0, null, Instant.now()))));
                long left = LOCK.toMillis() - (System.nanoTime() - lockedAt) / 1_000_000;
                // receive(0) would wait for ever, with the database still locked by this test.
                assertNull(dead.receive(Math.max(1, left)), "a submission was dead-lettered for a locked database");
                assertNull(fatal.get(), "the scheduler stopped for a locked database");
                assertNull(replies.receiveNoWait(), "answered while the database was locked");
                holder.createStatement().execute("COMMIT");
            }

            TextMessage accepted = (TextMessage) replies.receive(30_000);
            assertNotNull(accepted, "not answered after the lock ended");
            assertEquals("c-during", accepted.getJMSCorrelationID());
            var job = assertInstanceOf(ClientReply.JobAccepted.class,
                    MessageCodec.decode(accepted.getText(), ClientReply.class));
            assertNotNull(ended.receive(30_000), "the job's end was not published after the lock ended");
            assertEquals(JobState.COMPLETED, jobs.find(placed.jobId()).orElseThrow().state());
            assertEquals("during", jobs.find(job.jobId()).orElseThrow().spec().name());
            try (var reader = DriverManager.getConnection("jdbc:sqlite:" + file);
                    ResultSet rs = reader.createStatement().executeQuery(
                            "SELECT count(*) FROM jobs WHERE submission_key LIKE '%during%'")) {
                assertEquals(1, rs.getInt(1), "the submission made one job");
            }
            assertNull(dead.receiveNoWait());
            assertNull(fatal.get(), "the scheduler stopped for a locked database");
        }
    }

    private static NodeCommand.PlaceJob placement(TextMessage m) throws Exception {
        assertNotNull(m, "the job was not placed");
        Object command = MessageCodec.decode(m.getText());
        if (command instanceof NodeCommand.PlaceJobs many) {
            return many.placements().get(0);
        }
        return assertInstanceOf(NodeCommand.PlaceJob.class, command);
    }

    /** Until the queue's consumer has taken what was sent to it (a browser does not see a message being handled). */
    private static void awaitTaken(Session s, String queue) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                if (!b.getEnumeration().hasMoreElements()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("nothing took the message on " + queue);
            }
        }
    }
}
