package dev.cadre.cli;

import static dev.cadre.cli.ExampleClients.Protocol.AMQP;
import static dev.cadre.cli.ExampleClients.Protocol.JMS;
import static dev.cadre.cli.ExampleClients.Protocol.STOMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.ExampleClients.Protocol;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example clients under examples/ (plain JMS, AMQP 1.0 and STOMP) as separate processes against
 * 'cadre up', and checks what docs/protocol.md promises them.
 */
class ExampleClientsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Why the STOMP request/reply and subscription checks are off; docs/protocol.md section 11.3 says more. */
    private static final List<Protocol> WITH_REPLIES = List.of(JMS, AMQP);
    @TempDir
    static Path base;
    private static CadreProcess cadre;
    private static ExampleClients examples;

    @BeforeAll
    static void start() throws Exception {
        ExampleClients.requirePythonClients();
        cadre = new CadreProcess(base);
        cadre.up();
        examples = new ExampleClients(cadre);
    }

    @AfterEach
    void endLeftoverExamples() throws Exception {
        examples.close();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cadre != null) {
            cadre.stop();
        }
    }

    @Test
    void jmsAndAmqpSubmissionsAreAcceptedAndRun() throws Exception {
        submitAndRun(WITH_REPLIES);
    }

    @Test
    void aStompSubmissionWithoutReplyIsStoredAndRuns() throws Exception {
        examples.submit(STOMP, "--command", "echo ran via stomp", "--no-reply");
        // One queue, one consumer, in order: the job sent next gets the following id.
        long next = examples.submit(JMS, "--command", "true").accepted().jobId();
        cadre.awaitState(next - 1, "COMPLETED", WAIT);
        assertEquals("ran via stomp\n", Files.readString(cadre.workDir.resolve("slurm-" + (next - 1) + ".out")));
    }

    @Test
    void resendingASubmissionIdFromAnyProtocolReturnsTheSameJob() throws Exception {
        String id = "resend-" + System.nanoTime();
        long job = examples.submit(JMS, "--command", "true", "--submission-id", id).accepted().jobId();
        cadre.awaitState(job, "COMPLETED", WAIT);
        for (Protocol p : WITH_REPLIES) {
            var again = examples.submit(p, "--command", "true", "--submission-id", id).accepted();
            assertEquals(job, again.jobId(), p + " resend");
            assertTrue(again.duplicate(), p + " resend is marked duplicate");
            assertEquals(JobState.COMPLETED, again.state(), "the reply carries the job's current state");
            assertEquals(0, again.exitCode());
        }
        examples.submit(STOMP, "--command", "true", "--submission-id", id, "--no-reply");
        long next = examples.submit(JMS, "--command", "true").accepted().jobId();
        assertEquals(job + 1, next, "no resend, whatever its protocol, created a job");
    }

    @Test
    void aBadSpecIsRejectedWithItsReasonAndExitCode2() throws Exception {
        rejectBadSpec(WITH_REPLIES);
    }

    @Test
    void aBadStompRequestWithoutReplyToIsDeadLetteredWithItsReason() throws Exception {
        String correlation = "bad-" + System.nanoTime();
        var sent = examples.submit(STOMP, "--command", "true", "--tasks", "-1", "--no-reply",
                "--correlation-id", correlation);
        assertEquals(0, sent.exit(), "the broker stored the request: " + sent);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + cadre.ports[1]);
        JsonNode admin = MessageCodec.mapper().readTree(cadre.dataDir.resolve("secrets.json").toFile())
                .path("users").path("admin");
        try (factory; Connection c = factory.createConnection(admin.path("user").asText(),
                admin.path("password").asText())) {
            c.start();
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer deadLetters = session.createConsumer(session.createQueue("cadre.dead-letters"),
                    "JMSCorrelationID = '" + correlation + "'");
            Message m = deadLetters.receive(WAIT.toMillis());
            assertNotNull(m, "a dead letter for the rejected STOMP request");
            var rejected = MessageCodec.decode(((TextMessage) m).getText(), ClientReply.JobRejected.class);
            assertEquals(RejectionCode.INVALID_FIELD, rejected.code());
            assertEquals(rejected.reason(), m.getStringProperty("cadreRejectReason"));
            assertEquals("spec.tasks: is -1; it must be between 1 and 1000000", rejected.reason());
        }
    }

    @Test
    void selectorWatchersSeeExactlyTheirJobsEvents() throws Exception {
        watchOneJob(WITH_REPLIES);
    }

    @Test
    void durableSubscribersGetTheEventsTheyMissedWhileAway() throws Exception {
        missEventsWhileAway(WITH_REPLIES);
    }

    @Test
    void stompSubmissionsGetReplies() throws Exception {
        submitAndRun(List.of(STOMP));
        rejectBadSpec(List.of(STOMP));
        String id = "stomp-resend-" + System.nanoTime();
        long job = examples.submit(JMS, "--command", "true", "--submission-id", id).accepted().jobId();
        var again = examples.submit(STOMP, "--command", "true", "--submission-id", id).accepted();
        assertEquals(job, again.jobId());
        assertTrue(again.duplicate());
    }

    @Test
    void stompWatchersSeeTheirJobAndDurableOnesCatchUp() throws Exception {
        watchOneJob(List.of(STOMP));
        missEventsWhileAway(List.of(STOMP));
    }

    /**
     * The broker closes a connection silent for twice the client's heart-beat interval (60 s without heart-beats):
     * a STOMP watcher asking for 1 s heart-beats outlasts a job's quiet 8 s only if it really sends them.
     * stomp.py keeps the connect --timeout as the socket's read timeout; a 3 s one stands for the default 30 s, and a
     * second watcher with 5 s heart-beats shows that the broker's heart-beats are not what keeps the read alive.
     */
    @Test
    void aStompWatcherSendingHeartBeatsKeepsItsSubscriptionThroughAQuietSpell() throws Exception {
        long before = examples.submit(JMS, "--command", "true").accepted().jobId();
        String job = "" + (before + 1);
        var watcher = examples.watch(STOMP, "--job", job, "--until-terminal", "--heart-beat-ms", "1000",
                                     "--timeout", "3");
        var slowBeats = examples.watch(STOMP, "--job", job, "--until-terminal", "--heart-beat-ms", "5000",
                                       "--timeout", "3");
        long quiet = examples.submit(JMS, "--command", "sleep 8", "--job-user", "quiet").accepted().jobId();
        assertEquals(before + 1, quiet, "nothing else submits while this test runs");
        assertLifeOf(quiet, "quiet", watcher.events());
        assertLifeOf(quiet, "quiet", slowBeats.events());
    }

    private void submitAndRun(List<Protocol> protocols) throws Exception {
        for (Protocol p : protocols) {
            var accepted = examples.submit(p, "--command", "echo ran via " + p, "--name", "via-" + p).accepted();
            assertFalse(accepted.duplicate());
            assertEquals(JobState.PENDING, accepted.state());
            assertNull(accepted.exitCode());
            cadre.awaitState(accepted.jobId(), "COMPLETED", WAIT);
            Path out = cadre.workDir.resolve("slurm-" + accepted.jobId() + ".out");
            assertEquals("ran via " + p + "\n", Files.readString(out));
        }
    }

    private void rejectBadSpec(List<Protocol> protocols) throws Exception {
        for (Protocol p : protocols) {
            String id = "bad-" + p + "-" + System.nanoTime();
            var rejected = examples.submit(p, "--command", "true", "--tasks", "-1", "--submission-id", id).rejected();
            assertEquals(RejectionCode.INVALID_FIELD, rejected.code(), p + "");
            assertEquals("spec.tasks", rejected.field());
            assertEquals("spec.tasks: is -1; it must be between 1 and 1000000", rejected.reason());
            assertEquals(id, rejected.submissionId());
        }
    }

    /**
     * Watchers subscribe with 'jobId = N' before job N exists; a job before it and one after it run while they
     * watch, and the watched job waits for a gate until the later job has finished.
     */
    private void watchOneJob(List<Protocol> protocols) throws Exception {
        Path gate = cadre.workDir.resolve("gate-" + System.nanoTime());
        long before = examples.submit(JMS, "--command", "true").accepted().jobId();
        List<ExampleClients.Watcher> watchers = new ArrayList<>();
        for (Protocol p : protocols) {
            watchers.add(examples.watch(p, "--job", "" + (before + 1), "--until-terminal"));
        }
        long watched = examples.submit(JMS, "--command", "while [ ! -f " + gate + " ]; do sleep 0.1; done",
                "--job-user", "watched").accepted().jobId();
        assertEquals(before + 1, watched, "nothing else submits while this test runs");
        long after = examples.submit(AMQP, "--command", "true").accepted().jobId();
        cadre.awaitState(after, "COMPLETED", WAIT);
        cadre.awaitState(before, "COMPLETED", WAIT);
        Files.writeString(gate, "");
        for (ExampleClients.Watcher w : watchers) {
            assertLifeOf(watched, "watched", w.events());
        }
    }

    /** Durable subscribers with a user selector leave, a job of that user runs, they come back for its events. */
    private void missEventsWhileAway(List<Protocol> protocols) throws Exception {
        String user = "away" + System.nanoTime();
        for (Protocol p : protocols) {
            examples.watch(p, "--job-user", user, "--durable", "away-" + p + "-" + user, "--subscribe-only")
                    .events();
        }
        long job = examples.submit(JMS, "--command", "true", "--job-user", user).accepted().jobId();
        cadre.awaitState(job, "COMPLETED", WAIT);
        for (Protocol p : protocols) {
            var back = examples.watch(p, "--job-user", user, "--durable", "away-" + p + "-" + user,
                    "--until-terminal");
            assertLifeOf(job, user, back.events());
        }
    }

    private static void assertLifeOf(long job, String user, List<JobEvent.JobStateChanged> events) {
        assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED),
                events.stream().map(JobEvent.JobStateChanged::state).toList(), events::toString);
        assertEquals(List.of(job, job, job), events.stream().map(JobEvent.JobStateChanged::jobId).toList());
        assertNull(events.get(0).previous(), "the first event announces a new job");
        assertEquals(JobState.RUNNING, events.get(2).previous());
        assertEquals(user, events.get(2).user());
        assertEquals(0, assertInstanceOf(Integer.class, events.get(2).exitCode()));
    }
}
