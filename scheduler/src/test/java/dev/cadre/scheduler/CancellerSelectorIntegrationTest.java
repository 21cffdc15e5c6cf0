package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobStore;
import dev.cadre.db.JobWrites;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerCore;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selecting on who cancelled a job (docs/protocol.md 3.2, 8.3): a subscriber with {@code cancelledBy = 'alice'} gets
 * the events of alice's cancels, over JMS and STOMP, and not those of a job that completed, of bob's cancel or of the
 * scheduler's own; also when the outbox publishes them again at a head's start. A real scheduler, broker and SQLite
 * file; the test plays the node and the users.
 */
class CancellerSelectorIntegrationTest {
    private static final String EVERY_CANCEL = "cancelledBy IS NOT NULL";
    @TempDir
    Path dir;

    private static JobStore.NewJob job(String name, JobSpec.Builder spec) {
        return new JobStore.NewJob(name, spec.name(name).user("carol").workDir("/tmp").timeLimitSeconds(600L)
                .build(), Instant.now(), "None");
    }

    private static JobSpec.Builder script(String text) {
        return JobSpec.builder().script("#!/bin/sh\n" + text + "\n");
    }

    /** The next event the consumer gets, with the cancelledBy property it came with checked against its body. */
    private static JobEvent.JobStateChanged next(MessageConsumer events) throws Exception {
        TextMessage m = (TextMessage) events.receive(10_000);
        assertNotNull(m, "no event within 10 s");
        var e = assertInstanceOf(JobEvent.JobStateChanged.class, MessageCodec.decode(m.getText()));
        assertEquals(e.cancelledBy(), m.getStringProperty("cancelledBy"), "the property is the body's: " + e);
        return e;
    }

    private static String stateAndCanceller(JobEvent.JobStateChanged e) {
        return e.jobId() + " " + e.state() + " " + e.cancelledBy();
    }

    @Test
    void aSubscriberSelectingAlicesCancelsGetsThemAndNoOtherEnd() throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection node = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node");
                Connection client = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "subscriber");
                RawStomp stomp = new RawStomp(head.broker().stompPort(), head.users().submitter())) {
            Session s = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer byAlice = s.createConsumer(s.createTopic(Destinations.EVENTS), "cancelledBy = 'alice'");
            MessageConsumer cancels = s.createConsumer(s.createTopic(Destinations.EVENTS), EVERY_CANCEL);
            MessageConsumer unnamed = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    "cancelledBy IS NULL AND state IN ('COMPLETED', 'CANCELLED')");
            RawStomp.Frame subscribed = stomp.subscribe("/topic/" + Destinations.EVENTS,
                    "selector:cancelledBy = 'alice'\n");
            assertEquals("RECEIPT", subscribed.command(), subscribed::toString);
            TemporaryQueue replies = s.createTemporaryQueue();
            MessageConsumer answers = s.createConsumer(replies);
            client.start();

            Session ns = node.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer commands = ns.createConsumer(ns.createQueue(Destinations.nodeQueue("n1")));
            MessageProducer runner = ns.createProducer(ns.createQueue(Destinations.RUNNER_EVENTS));
            node.start();
            head.scheduler().start();
            runner.send(ns.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 4, 4096, 0, List.of(), Instant.now()))));
            ns.commit();

            Instant later = Instant.now().plusSeconds(3600);
            List<JobStore.Admission> admitted = head.scheduler().admit(List.of(job("done", script("true")),
                    job("running", script("sleep 100")), job("bobs", script("true").beginTime(later)),
                    job("alices", script("true").beginTime(later))));
            long done = admitted.get(0).job().id();
            long running = admitted.get(1).job().id();
            long bobs = admitted.get(2).job().id();
            long alices = admitted.get(3).job().id();
            long never = head.scheduler().admit(List.of(job("never", script("true").dependency("afterok:" + bobs)
                    .killOnInvalidDependency(true)))).get(0).job().id();
            List<NodeCommand.PlaceJob> placed = new ArrayList<>();
            while (placed.size() < 2) {
                TextMessage m = (TextMessage) commands.receive(10_000);
                assertNotNull(m, "the two jobs that may start are not placed within 10 s");
                Message command = MessageCodec.decode(m.getText());
                if (command instanceof NodeCommand.PlaceJobs many) {
                    placed.addAll(many.placements());
                } else {
                    placed.add(assertInstanceOf(NodeCommand.PlaceJob.class, command));
                }
            }
            ns.commit();
            for (NodeCommand.PlaceJob p : placed) {
                runner.send(ns.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerRunning(p.jobId(),
                        p.attempt(), "n1", Instant.now()))));
            }
            NodeCommand.PlaceJob runs = placed.get(0).jobId() == running ? placed.get(0) : placed.get(1);
            NodeCommand.PlaceJob completes = runs == placed.get(0) ? placed.get(1) : placed.get(0);
            runner.send(ns.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(done,
                    completes.attempt(), "n1", 0, 0, null, Instant.now()))));
            ns.commit();
            assertEquals(done + " COMPLETED null", stateAndCanceller(next(unnamed)));

            // bob's cancel, and the scheduler's own of the job that depended on bob's.
            cancel(s, replies, answers, bobs, "bob");
            assertEquals(bobs + " CANCELLED bob", stateAndCanceller(next(cancels)));
            JobEvent.JobStateChanged ownCancel = next(unnamed);
            assertEquals(never + " CANCELLED null", stateAndCanceller(ownCancel));
            assertEquals("DependencyNeverSatisfied", ownCancel.reason());

            // alice's cancels, of a running job (its kill, then the node's confirmation) and of a pending one.
            cancel(s, replies, answers, running, "alice");
            assertEquals(running + " COMPLETING alice", stateAndCanceller(next(byAlice)));
            runner.send(ns.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(running,
                    runs.attempt(), "n1", 0, 15, JobState.CANCELLED, Instant.now()))));
            ns.commit();
            assertEquals(running + " CANCELLED alice", stateAndCanceller(next(byAlice)));
            cancel(s, replies, answers, alices, "alice");
            assertEquals(alices + " CANCELLED alice", stateAndCanceller(next(byAlice)));
            // Published after every other: anything else the selector let through would have come before it.
            assertNull(byAlice.receiveNoWait(), "only alice's cancels");
            assertEquals(List.of(running + " COMPLETING alice", running + " CANCELLED alice",
                    alices + " CANCELLED alice"), List.of(stateAndCanceller(next(cancels)),
                    stateAndCanceller(next(cancels)), stateAndCanceller(next(cancels))));

            List<String> overStomp = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawStomp.Frame f = stomp.read();
                assertEquals("MESSAGE", f.command(), f::toString);
                assertEquals("alice", f.headers().get("cancelledBy"), "a STOMP header as well");
                var e = (JobEvent.JobStateChanged) MessageCodec.decode(f.body());
                overStomp.add(stateAndCanceller(e));
            }
            assertEquals(List.of(running + " COMPLETING alice", running + " CANCELLED alice",
                    alices + " CANCELLED alice"), overStomp, "the same events, and none before them");
        }
    }

    private static void cancel(Session s, TemporaryQueue replies, MessageConsumer answers, long job, String user)
            throws Exception {
        SubmissionIntakeIntegrationTest.send(s, replies, MessageCodec.encode(new ControlRequest.CancelJob(job, null,
                null, user, null)), "cancel-" + job);
        TextMessage reply = (TextMessage) answers.receive(10_000);
        assertNotNull(reply, "no answer to the cancel of " + job);
        var result = assertInstanceOf(ClientReply.CancelResult.class, MessageCodec.decode(reply.getText()));
        assertTrue(result.ok(), result.toString());
    }

    /** Stored by a head that stopped before publishing anything: the next head's outbox sends it with the property. */
    @Test
    void theOutboxRepublishesACancelWithItsCanceller() throws Exception {
        JobStore store = new JobStore(Database.open(dir.resolve("cadre.db")));
        long job = store.admit(List.of(job("pending", script("true")))).get(0).job().id();
        SchedulerCore first = ArrayPartRestartTest.start(Clock.systemUTC(), store);
        Decisions d = first.control().cancel(new ControlRequest.CancelJob(job, null, null, "bob", null)).decisions();
        store.save(JobWrites.of(d.inserted(), d.changes(), d.respecified(), d.dropped()));
        store.close();

        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofSeconds(1), e -> { });
                Connection client = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "subscriber")) {
            Session s = client.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer bobs = s.createConsumer(s.createTopic(Destinations.EVENTS), "cancelledBy = 'bob'");
            MessageConsumer everything = s.createConsumer(s.createTopic(Destinations.EVENTS), "jobId = " + job);
            client.start();
            head.scheduler().start();
            assertEquals(job + " PENDING null", stateAndCanceller(next(everything)), "its creation, again");
            assertEquals(job + " CANCELLED bob", stateAndCanceller(next(everything)));
            assertEquals(job + " CANCELLED bob", stateAndCanceller(next(bobs)), "the creation did not pass");
        }
    }
}
