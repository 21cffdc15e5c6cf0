package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.db.Database;
import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobSubmission;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake against a real embedded broker and a real SQLite file. */
class SubmissionIntakeIntegrationTest {
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    BrokerUsers users = BrokerUsers.generate();
    JobStore jobs;
    SchedulerService scheduler;
    Connection schedulerConnection;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        jobs = new JobStore(Database.open(dir.resolve("cadre.db")));
    }

    void startScheduler() throws Exception {
        schedulerConnection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "scheduler");
        scheduler = new SchedulerService(schedulerConnection, jobs, new NodeStore(Database.open(dir.resolve("cadre.db"))),
                new ServiceStore(Database.open(dir.resolve("cadre.db"))),
                new ReservationStore(Database.open(dir.resolve("cadre.db"))),
                new PartitionStore(Database.open(dir.resolve("cadre.db"))), Clock.systemUTC(),
                new SchedulerService.Settings(Duration.ofSeconds(30), Duration.ofSeconds(1), 500,
                        "secret", e -> { })).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) {
            scheduler.close();
            schedulerConnection.close();
        }
        broker.close();
    }

    static String submit(String id) {
        return MessageCodec.encode(new ClientRequest.SubmitJob(id, JobSpec.builder().name(id).user("alice")
                .script("#!/bin/sh\ntrue\n").workDir("/tmp").build()));
    }

    @Test
    void aClientWhoseReplyQueueVanishedCostsNobodyElseTheirReply() throws Exception {
        Connection gone = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.submitter(), "gone");
        Session goneSession = gone.createSession(false, Session.AUTO_ACKNOWLEDGE);
        send(goneSession, goneSession.createTemporaryQueue(), submit("from-gone"), "c-gone");
        gone.close();

        try (Connection stays = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.submitter(), "stays")) {
            Session s = stays.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            send(s, replies, submit("from-stays"), "c-stays");
            send(s, replies, "{\"type\":\"submit-job\",\"spec\":{\"tasks\":\"4\"}}", "c-bad");
            startScheduler();

            Map<String, TextMessage> byCorrelation = receive(s.createConsumer(replies), 2);
            var accepted = assertInstanceOf(ClientReply.JobAccepted.class,
                    MessageCodec.decode(byCorrelation.get("c-stays").getText()));
            TextMessage bad = byCorrelation.get("c-bad");
            var rejected = assertInstanceOf(ClientReply.JobRejected.class, MessageCodec.decode(bad.getText()));
            assertEquals(RejectionCode.WRONG_TYPE, rejected.code());
            assertEquals("spec.tasks", rejected.field());
            assertEquals("job-rejected", bad.getStringProperty("type"));
            assertTrue(accepted.jobId() > 0);
        }
        // The vanished client's job is stored all the same: it can resend its id and learn the job.
        assertEquals(2, jobs.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 10)).size());
    }

    @Test
    void aRejectionWithoutReplyToIsDeadLetteredWithItsReason() throws Exception {
        startScheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "admin")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            send(s, null, "{\"type\":\"launch-missiles\"}", "c-dead");
            var dead = (TextMessage) s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS)).receive(10_000);
            assertNotNull(dead, "nothing on " + Destinations.DEAD_LETTERS);
            assertEquals("unknown message type 'launch-missiles'", dead.getStringProperty("cadreRejectReason"));
            assertEquals("c-dead", dead.getJMSCorrelationID());
            var rejected = assertInstanceOf(ClientReply.JobRejected.class, MessageCodec.decode(dead.getText()));
            assertEquals(RejectionCode.UNKNOWN_TYPE, rejected.code());
        }
        assertEquals(0, jobs.unfinished().size());
    }

    @Test
    void cadresOwnAddressesAsReplyToGetNoReply() throws Exception {
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "admin")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // Subscribed before the scheduler starts, so that nothing it publishes is missed.
            MessageConsumer events = s.createConsumer(s.createTopic(Destinations.EVENTS));
            MessageConsumer dead = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS));
            startScheduler();
            send(s, s.createTopic(Destinations.EVENTS), submit("aimed-at-the-events"), "c-events");
            send(s, s.createQueue(Destinations.SUBMIT), "{\"type\":\"launch-missiles\"}", "c-loop");
            // A rejection with nowhere to go is dead-lettered, not sent round to the scheduler's own queue.
            var rejected = (TextMessage) dead.receive(10_000);
            assertNotNull(rejected, "nothing on " + Destinations.DEAD_LETTERS);
            assertEquals("c-loop", rejected.getJMSCorrelationID());
            assertEquals("unknown message type 'launch-missiles'", rejected.getStringProperty("cadreRejectReason"));
            // The job is stored and its events published, but its acceptance does not go onto the event stream.
            List<String> types = new ArrayList<>();
            for (var m = events.receive(2_000); m != null; m = events.receive(500)) {
                types.add(m.getStringProperty("type"));
            }
            assertTrue(types.contains("job-state-changed"), "events: " + types);
            assertEquals(Set.of("job-state-changed"), Set.copyOf(types), "events: " + types);
        }
        assertEquals(1, jobs.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 10)).size());
    }

    @Test
    void eventsStoredButNeverPublishedBeforeACrashArePublishedAtStart() throws Exception {
        // As if the head died between committing the jobs and publishing their events.
        long id = jobs.admit(List.of(new JobStore.NewJob("c:alice:lost", JobSpec.builder().name("lost").user("alice")
                .script("#!/bin/sh\ntrue\n").workDir("/tmp").build(), java.time.Instant.now(), "None")))
                .get(0).job().id();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.submitter(), "watcher")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var events = s.createConsumer(s.createTopic(Destinations.EVENTS), "jobId = " + id);
            startScheduler();
            TextMessage event = (TextMessage) events.receive(10_000);
            assertNotNull(event, "the stored event was never published");
            var changed = assertInstanceOf(JobEvent.JobStateChanged.class, MessageCodec.decode(event.getText()));
            assertEquals(JobState.PENDING, changed.state());
            assertEquals(null, changed.previous());
        }
    }

    static JobSubmission entry(String id, Integer tasks) {
        return new JobSubmission(id, JobSpec.builder().name(id).user("alice").script("#!/bin/sh\ntrue\n")
                .workDir("/tmp").tasks(tasks).build());
    }

    @Test
    void aBatchIsAnsweredEntryByEntryAndResendingItCreatesNothingNew() throws Exception {
        startScheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.submitter(), "batcher")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            String batch = MessageCodec.encode(new ClientRequest.SubmitJobs(List.of(entry("b-0", null),
                    entry("b-1", -1), entry("b-2", 2), entry("b-0", null))));
            send(s, replies, batch, "c-batch");
            TextMessage first = (TextMessage) consumer.receive(10_000);
            assertNotNull(first, "no answer to the batch");
            assertEquals("c-batch", first.getJMSCorrelationID());
            assertEquals("jobs-submitted", first.getStringProperty("type"));
            var answer = assertInstanceOf(ClientReply.JobsSubmitted.class, MessageCodec.decode(first.getText()));
            assertEquals(4, answer.results().size());
            var a0 = assertInstanceOf(ClientReply.JobAccepted.class, answer.results().get(0));
            var r1 = assertInstanceOf(ClientReply.JobRejected.class, answer.results().get(1));
            var a2 = assertInstanceOf(ClientReply.JobAccepted.class, answer.results().get(2));
            var a3 = assertInstanceOf(ClientReply.JobAccepted.class, answer.results().get(3));
            assertEquals("b-1", r1.submissionId());
            assertEquals("spec.tasks", r1.field());
            assertEquals(RejectionCode.INVALID_FIELD, r1.code());
            assertEquals(List.of(false, false, true), List.of(a0.duplicate(), a2.duplicate(), a3.duplicate()),
                    "an id repeated within the batch is the same job");
            assertEquals(a0.jobId(), a3.jobId());

            send(s, replies, batch, "c-again");
            var again = assertInstanceOf(ClientReply.JobsSubmitted.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            var b0 = assertInstanceOf(ClientReply.JobAccepted.class, again.results().get(0));
            var b2 = assertInstanceOf(ClientReply.JobAccepted.class, again.results().get(2));
            assertEquals(List.of(a0.jobId(), a2.jobId(), true, true),
                    List.of(b0.jobId(), b2.jobId(), b0.duplicate(), b2.duplicate()));
        }
        assertEquals(2, jobs.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 10)).size());
    }

    @Test
    void aForecastRequestIsAnsweredWithTheWaitingJobsExpectedStarts() throws Exception {
        startScheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "node-and-client")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS)).send(s.createTextMessage(MessageCodec.encode(
                    new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("10.0.0.1"), 8, 4096, 0, List.of(),
                            java.time.Instant.now()))));
            TemporaryQueue replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            MessageConsumer started = s.createConsumer(s.createTopic(Destinations.EVENTS),
                    "type = 'job-state-changed' AND state = 'RUNNING'");
            JobSpec whole = entry("whole", null).spec().toBuilder().cpusPerTask(8).timeLimitSeconds(600L).build();
            send(s, replies, MessageCodec.encode(new ClientRequest.SubmitJobs(List.of(new JobSubmission("first",
                    whole), new JobSubmission("second", whole)))), "c-submit");
            var submitted = assertInstanceOf(ClientReply.JobsSubmitted.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            long first = assertInstanceOf(ClientReply.JobAccepted.class, submitted.results().get(0)).jobId();
            long second = assertInstanceOf(ClientReply.JobAccepted.class, submitted.results().get(1)).jobId();
            // Forecasts are compared below, so all are asked once the first job runs: asked while it waits for the
            // scheduler's pass (a fast machine answers the reply sooner than the pass comes), the plan starts it now
            // and the second on the minute grid, and once it runs, its release is rounded up to the next minute.
            TextMessage start = (TextMessage) started.receive(10_000);
            assertNotNull(start, "the first job was not placed within 10 s");
            assertEquals(first, assertInstanceOf(JobEvent.JobStateChanged.class, MessageCodec.decode(start.getText()))
                    .jobId());
            send(s, replies, "{\"version\": 1, \"type\": \"forecast-starts\"}", "c-forecast");
            var forecast = assertInstanceOf(ClientReply.StartForecast.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            assertNull(forecast.reason());
            ClientReply.ExpectedStart expected = forecast.starts().stream().filter(f -> f.jobId() == second)
                    .findFirst().orElse(null);
            assertNotNull(expected, "the second job has no expected start: " + forecast);
            assertEquals(List.of("host1"), expected.nodes());
            Duration ahead = Duration.between(java.time.Instant.now(), expected.start());
            assertTrue(ahead.compareTo(Duration.ofSeconds(500)) > 0 && ahead.compareTo(Duration.ofSeconds(700)) < 0,
                    "when the first job reaches its 600 s limit, not " + ahead);

            // sbatch --test-only: a third such job, planned behind the second, stored nowhere.
            send(s, replies, MessageCodec.encode(new ClientRequest.ForecastStarts(whole)), "c-trial");
            var trial = assertInstanceOf(ClientReply.StartForecast.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            assertEquals(1, trial.starts().size(), trial.toString());
            assertEquals(second + 1, trial.starts().get(0).jobId(), "the id the next job would get");
            assertEquals(expected.start().plusSeconds(600), trial.starts().get(0).start(), trial.toString());
            send(s, replies, MessageCodec.encode(new ClientRequest.ForecastStarts(whole.toBuilder().cpusPerTask(64)
                    .build())), "c-trial-wide");
            var refused = assertInstanceOf(ClientReply.JobRejected.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            assertEquals(List.of(RejectionCode.UNSATISFIABLE, "spec.cpusPerTask"), List.of(refused.code(),
                    refused.field()), refused.toString());
            send(s, replies, "{\"version\": 1, \"type\": \"forecast-starts\", \"spec\": {\"command\": 7}}",
                    "c-trial-bad");
            var invalid = assertInstanceOf(ClientReply.JobRejected.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            assertNotNull(invalid.reason(), invalid.toString());
            assertEquals(2, jobs.list(new JobQuery(Set.of(), null, null, Set.of(), null, 10)).size(),
                    "no trial was stored");
        }
    }

    @Test
    void aJobNoKnownNodeCouldEverHoldIsRejectedAtSubmitAlsoWithinABatch() throws Exception {
        startScheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "node-and-client")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer runner = s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS));
            runner.send(s.createTextMessage(MessageCodec.encode(new RunnerEvent.NodeHeartbeat("n1", "host1",
                    List.of("10.0.0.1"), 8, 4096, 0, List.of(), java.time.Instant.now()))));
            TemporaryQueue replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            JobSpec tooWide = entry("wide", null).spec().toBuilder().cpusPerTask(64).build();
            ClientReply.JobRejected refused = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // The heartbeat is consumed on another thread: until it is, no node is known and the job would wait.
            for (int i = 0; refused == null && System.nanoTime() < deadline; i++) {
                send(s, replies, MessageCodec.encode(new ClientRequest.SubmitJob("wide-" + i, tooWide)), "c-" + i);
                ClientReply reply = MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText(),
                        ClientReply.class);
                refused = reply instanceof ClientReply.JobRejected r ? r : null;
            }
            assertNotNull(refused, "a 64-CPU task was never refused on an 8-core cluster");
            assertEquals("spec.cpusPerTask", refused.field());
            assertEquals(RejectionCode.UNSATISFIABLE, refused.code(), "a job the nodes could never hold, not a bad one");
            assertTrue(refused.reason().contains("64") && refused.reason().contains("8"), refused.reason());
            long storedBefore = jobs.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 100)).size();

            send(s, replies, MessageCodec.encode(new ClientRequest.SubmitJobs(List.of(entry("fits", 2),
                    new JobSubmission("wide-again", tooWide)))), "c-batch");
            var answer = assertInstanceOf(ClientReply.JobsSubmitted.class,
                    MessageCodec.decode(((TextMessage) consumer.receive(10_000)).getText()));
            assertInstanceOf(ClientReply.JobAccepted.class, answer.results().get(0));
            assertEquals("spec.cpusPerTask",
                    assertInstanceOf(ClientReply.JobRejected.class, answer.results().get(1)).field());
            assertEquals(storedBefore + 1, jobs.list(new JobQuery(Set.of(), "alice", null, Set.of(), null, 100))
                    .size(), "only the job that fits is stored");
        }
    }

    @Test
    void anUnreadableOrEmptyBatchIsRejectedWholeAndStoresNothing() throws Exception {
        startScheduler();
        try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.submitter(), "batcher")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            String wrongType = MessageCodec.encode(new ClientRequest.SubmitJobs(List.of(entry("w-0", null))))
                    .replace("\"workDir\":\"/tmp\"", "\"workDir\":7");
            send(s, replies, wrongType, "c-wrong");
            send(s, replies, "{\"type\":\"submit-jobs\",\"jobs\":[]}", "c-empty");
            send(s, replies, "{\"type\":\"submit-jobs\",\"jobs\":[null]}", "c-null");
            Map<String, ClientReply.JobRejected> byCorrelation = new HashMap<>();
            for (var reply : receive(consumer, 3).entrySet()) {
                byCorrelation.put(reply.getKey(), assertInstanceOf(ClientReply.JobRejected.class,
                        MessageCodec.decode(reply.getValue().getText())));
            }
            assertEquals("jobs[0].spec.workDir", byCorrelation.get("c-wrong").field());
            assertEquals(RejectionCode.WRONG_TYPE, byCorrelation.get("c-wrong").code());
            assertEquals("jobs", byCorrelation.get("c-empty").field());
            assertEquals("jobs[0]", byCorrelation.get("c-null").field());
        }
        assertEquals(0, jobs.unfinished().size());
    }

    /** The next n replies, by correlation id; fails if one does not come within 10 s. */
    private static Map<String, TextMessage> receive(MessageConsumer consumer, int n) throws Exception {
        Map<String, TextMessage> byCorrelation = new HashMap<>();
        for (int i = 0; i < n; i++) {
            TextMessage reply = (TextMessage) consumer.receive(10_000);
            assertNotNull(reply, "replies so far: " + byCorrelation.keySet());
            byCorrelation.put(reply.getJMSCorrelationID(), reply);
        }
        return byCorrelation;
    }

    static void send(Session s, Destination replyTo, String body, String correlation) throws Exception {
        MessageProducer p = s.createProducer(s.createQueue(Destinations.SUBMIT));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        TextMessage m = s.createTextMessage(body);
        m.setJMSCorrelationID(correlation);
        if (replyTo != null) {
            m.setJMSReplyTo(replyTo);
        }
        p.send(m);
        p.close();
    }
}
