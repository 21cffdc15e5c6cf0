package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.broker.RequestClient;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec-grant over the real broker, from the submitter account as srun and salloc send it, against the real scheduler
 * and SQLite: the token of a running job goes to its user (and root) alone, and every other request is refused
 * naming why, nothing granted.
 */
class ExecGrantIntegrationTest {
    @TempDir
    Path dir;

    private static JobStore.NewJob job(String name, String hold) {
        return new JobStore.NewJob(name, JobSpec.builder().name(name).user("alice").script("#!/bin/sh\nsleep 60\n")
                .workDir("/tmp").hold(hold).build(), Instant.now(), "None");
    }

    private static ClientReply.ExecGrantResult grant(RequestClient client, long jobId, String user) throws Exception {
        return (ClientReply.ExecGrantResult) client.send(new ClientRequest.ExecGrant(jobId, user))
                .get(10, TimeUnit.SECONDS);
    }

    /** Waits for the head to announce the job's state, which it does once the change is stored. */
    private static void awaitState(MessageConsumer events, long id, JobState state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            TextMessage m = left > 0 ? (TextMessage) events.receive(left) : null;
            if (m == null) {
                fail("job " + id + " not announced " + state + " within 20 s");
            }
            if (MessageCodec.decode(m.getText()) instanceof JobEvent.JobStateChanged c && c.jobId() == id
                    && c.state() == state) {
                return;
            }
        }
    }

    @Test
    void aRunningJobsTokenGoesToItsUserAloneAndEveryOtherAskIsRefusedNamingWhy() throws Exception {
        try (SchedulerOnBroker head = SchedulerOnBroker.create(dir, Duration.ofMillis(200), e -> { });
                Connection node = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().admin(), "node");
                Connection submitter = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                        "srun");
                RequestClient client = new RequestClient(submitter)) {
            head.scheduler().start();
            Session s = node.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer commands = s.createConsumer(s.createQueue(Destinations.nodeQueue("n1")));
            MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
            node.start();
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 8, 4096, 0, List.of(), Instant.now()))));
            s.commit();
            Map<String, Long> ids = new HashMap<>();
            head.scheduler().admit(List.of(job("running", null), job("ended", null), job("held", "user")))
                    .forEach(a -> ids.put(a.job().name(), a.job().id()));
            Map<String, NodeCommand.PlaceJob> on = SchedulerOnBroker.placed(commands, 2);
            Session watching = submitter.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer events = watching.createConsumer(watching.createTopic(Destinations.EVENTS),
                    "type = 'job-state-changed'");
            submitter.start();
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerRunning(ids.get("running"), 1,
                    "n1", Instant.now()))));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.RunnerFinished(ids.get("ended"), 1,
                    "n1", 0, 0, null, Instant.now(), null, null))));
            s.commit();
            awaitState(events, ids.get("ended"), JobState.COMPLETED);

            long running = ids.get("running");
            ClientReply.ExecGrantResult mine = grant(client, running, "alice");
            assertTrue(mine.ok(), mine.toString());
            assertEquals(1, mine.attempt());
            assertEquals(on.get("running").execToken(), mine.token(), "the token the job's nodes hold");
            assertEquals(List.of(new ClientReply.ExecGrantResult.GrantedNode("host1", "n1")), mine.nodes());
            assertNull(mine.reason());
            assertEquals(mine.token(), grant(client, running, "root").token(), "root reaches every job");

            ClientReply.ExecGrantResult theirs = grant(client, running, "bob");
            assertFalse(theirs.ok());
            assertNull(theirs.token(), "nothing granted");
            assertEquals("job " + running + " is alice's, not bob's: only a job's own user may run commands in it",
                    theirs.reason());
            assertEquals("job " + ids.get("ended") + " is COMPLETED, not RUNNING: commands run in a job only while"
                    + " it runs", grant(client, ids.get("ended"), "alice").reason());
            assertEquals("job " + ids.get("held") + " is PENDING, not RUNNING: commands run in a job only while it"
                    + " runs", grant(client, ids.get("held"), "alice").reason());
            assertEquals("job 999999 is unknown: no job has that id", grant(client, 999_999, "alice").reason());
            ClientReply.ExecGrantResult nameless = grant(client, running, "no such user!");
            assertFalse(nameless.ok());
            assertTrue(nameless.reason().startsWith("user must be the user name of who asks"), nameless.reason());
            assertNull(grant(client, running, null).token());
        }
    }
}
