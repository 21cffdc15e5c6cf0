package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cadre rsh} against two real node-runners over a real broker: what runs, what is refused, and what is
 * killed. The place-jobs are sent as the scheduler sends them.
 */
class RemoteExecIntegrationTest {
    private static final String TOKEN = ExecTestBed.TOKEN;
    @TempDir
    Path dir;
    private ExecTestBed bed;

    @BeforeEach
    void start() throws Exception {
        bed = new ExecTestBed(dir);
    }

    @AfterEach
    void stop() throws Exception {
        bed.close();
    }

    private Map<String, String> placeJob() throws Exception {
        return bed.placeJob(env -> rsh(env, "beta", "true").exit == 0);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run rsh(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new RshCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, null).run(List.of(argv));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsTheJoinedWordsWithBashOnTheHostAndReturnsOutputAndStatus() throws Exception {
        Map<String, String> env = placeJob();
        // As mpirun passes them: literal quotes and ';' inside the words, joined by single spaces.
        Run r = rsh(env, "-x", "beta", "echo", "\"$CADRE_JOB_ID on $(hostname -s)\"", ";", "echo", "oops", ">&2", ";",
                "exit", "3");
        assertEquals(3, r.exit, r.err);
        assertEquals("7 on " + java.net.InetAddress.getLocalHost().getHostName().split("\\.")[0] + "\n", r.out);
        assertEquals("oops\n", r.err);
        assertEquals(0, rsh(env, "user@alpha", "-p", "22", "test", "-n", "\"$CADRE_EXEC_TOKEN\"").exit,
                "commands get the job's exec variables, for a tree spawn from there");
    }

    @Test
    void outputStreamsWhileTheCommandRuns() throws Exception {
        Map<String, String> env = placeJob();
        Path marker = dir.resolve("seen");
        // The command waits until the test has seen its first line: it can only end if output streams.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream watched = new PrintStream(out, true, StandardCharsets.UTF_8) {
            @Override
            public void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                try {
                    Files.writeString(marker, "");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        int exit = new RshCommand(watched, System.err, env, null).run(List.of("beta",
                "echo first; for i in $(seq 2400); do [ -e " + marker + " ] && break; sleep 0.05; done; echo second"));
        assertEquals(0, exit);
        assertEquals("first\nsecond\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesUnknownHostsWrongTokensAndEndedAttemptsWith255() throws Exception {
        Map<String, String> env = placeJob();
        Run unknown = rsh(env, "gamma", "true");
        assertEquals(255, unknown.exit);
        assertTrue(unknown.err.contains("host gamma is not part of job 7's allocation"), unknown.err);

        Map<String, String> forged = new HashMap<>(env);
        forged.put(ExecAccess.TOKEN, "b".repeat(64));
        Run wrong = rsh(forged, "beta", "touch " + dir.resolve("forged"));
        assertEquals(255, wrong.exit);
        assertTrue(wrong.err.contains("wrong exec token"), wrong.err);

        Map<String, String> otherJob = new HashMap<>(env);
        otherJob.put(ExecAccess.JOB_ID, "8");
        assertTrue(rsh(otherJob, "beta", "true").err.contains("job 8 attempt 1 is not running on node"));
        assertTrue(Files.notExists(dir.resolve("forged")), "a refused command never ran");

        Run outside = rsh(Map.of(), "beta", "true");
        assertEquals(255, outside.exit);
        assertTrue(outside.err.contains("not inside a Cadre job"), outside.err);
    }

    @Test
    void aRequestThatOvertakesItsPlaceJobRunsOnceThePlaceJobArrivesAndAnEndedAttemptsIsRefusedAtOnce()
            throws Exception {
        // As when the coordinator's mpirun reaches beta before beta has taken its own place-job.
        try (Connection c = BrokerConnections.open(bed.brokerUrl, bed.users.exec(), "early-agent")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            var toBeta = s.createProducer(s.createQueue(Destinations.execQueue(bed.beta.nodeId())));
            TextMessage early = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("early", 7, 1,
                    TOKEN, "echo early on $CADRE_JOB_ID")));
            early.setJMSReplyTo(replies);
            toBeta.send(early);
            assertNull(consumer.receive(1_000), "a request for an attempt not yet placed waits instead of failing");

            bed.sendAsScheduler(Destinations.nodeQueue(bed.beta.nodeId()), bed.job7());
            StringBuilder out = new StringBuilder();
            ExecMessage.ExecExit exit = null;
            for (int i = 0; i < 100 && exit == null; i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "no reply after the place-job came");
                ExecMessage reply = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
                if (reply instanceof ExecMessage.ExecOutput o) {
                    out.append(new String(Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8));
                } else if (reply instanceof ExecMessage.ExecExit e) {
                    exit = e;
                }
            }
            assertNotNull(exit);
            assertEquals(0, exit.exitCode(), exit.error());
            assertEquals("early on 7\n", out.toString());

            bed.sendAsScheduler(Destinations.nodeQueue(bed.beta.nodeId()),
                    new NodeCommand.KillJob(7, 1, JobState.CANCELLED));
            CadreProcess.await("beta to refuse job 7 at once once it ended", Duration.ofSeconds(10),
                    () -> refusedWithoutWaiting(s, toBeta));
        }
    }

    /** Whether beta refuses a request for job 7 attempt 1 inside its 5 s wait for a place-job. */
    private static boolean refusedWithoutWaiting(Session s, MessageProducer toBeta) {
        try {
            TextMessage late = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest(
                    UUID.randomUUID().toString(), 7, 1, TOKEN, "true")));
            var replies = s.createTemporaryQueue();
            late.setJMSReplyTo(replies);
            toBeta.send(late);
            try (var consumer = s.createConsumer(replies)) {
                Message m = consumer.receive(2_000);
                return m != null && MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class)
                        instanceof ExecMessage.ExecExit e && e.exitCode() == 255
                        && e.error().contains("job 7 attempt 1 is not running on node");
            }
        } catch (JMSException | ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void submitterCredentialsRunNothingWithoutTheJobsToken() throws Exception {
        placeJob();
        // Clients may send exec requests (srun --pty: protocol.md 5.10), but only the job's token runs one.
        try (Connection c = BrokerConnections.open(bed.brokerUrl, bed.users.submitter(), "intruder")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(Destinations.execQueue(bed.beta.nodeId())));
            TextMessage m = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("x", 7, 1,
                    "0".repeat(TOKEN.length()), "touch " + dir.resolve("intruded"))));
            var replies = s.createTemporaryQueue();
            m.setJMSReplyTo(replies);
            p.send(m);
            Message answer = s.createConsumer(replies).receive(10_000);
            assertNotNull(answer, "the node answers the request");
            ExecMessage.ExecExit refused = (ExecMessage.ExecExit) MessageCodec.decode(((TextMessage) answer)
                    .getText(), ExecMessage.class);
            assertEquals(255, refused.exitCode());
            assertEquals("wrong exec token for job 7 attempt 1", refused.error());
            // The node queue stays the head's: a client cannot place a job there.
            MessageProducer toNode = s.createProducer(s.createQueue(Destinations.nodeQueue(bed.beta.nodeId())));
            assertThrows(JMSSecurityException.class, () -> toNode.send(s.createTextMessage("{}")));
        }
        assertTrue(Files.notExists(dir.resolve("intruded")));
    }

    @Test
    void aSilentAgentsCommandRunsOnUntilReleasedAndAKilledJobsCommandsAreKilled() throws Exception {
        placeJob();
        String request = UUID.randomUUID().toString();
        long silent = startWithoutKeepalives(request, "sleep 300");
        // Silence may only mean the head is away: past the 5 s after which such a command used to be killed.
        ProcessHandle command = ProcessHandle.of(silent).orElseThrow();
        assertThrows(TimeoutException.class, () -> command.onExit().get(7,
                TimeUnit.SECONDS), "killed for its agent's silence, far inside the limit");
        // Its relay lets it go (its agent went away): killed at once.
        try (Connection c = BrokerConnections.open(bed.brokerUrl, bed.users.exec(), "bare-agent")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(Destinations.execQueue(bed.beta.nodeId()))).send(s.createTextMessage(
                    MessageCodec.encode(new ExecMessage.ExecExit(request, 255, 0, "the agent went away"))));
        }
        awaitGone(silent, Duration.ofSeconds(4));

        long running = startWithoutKeepalives(UUID.randomUUID().toString(), "sleep 300");
        bed.sendAsScheduler(Destinations.nodeQueue(bed.beta.nodeId()),
                new NodeCommand.KillJob(7, 1, JobState.CANCELLED));
        awaitGone(running, Duration.ofSeconds(4));
    }

    /** An exec request sent by hand, never kept alive; returns the remote command's pid. */
    private long startWithoutKeepalives(String requestId, String command) throws Exception {
        try (Connection c = BrokerConnections.open(bed.brokerUrl, bed.users.exec(), "bare-agent")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var replies = s.createTemporaryQueue();
            var consumer = s.createConsumer(replies);
            TextMessage m = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest(
                    requestId, 7, 1, TOKEN, command)));
            m.setJMSReplyTo(replies);
            s.createProducer(s.createQueue(Destinations.execQueue(bed.beta.nodeId()))).send(m);
            Message started = consumer.receive(10_000);
            assertNotNull(started, "no exec-started");
            long pid = ((ExecMessage.ExecStarted) MessageCodec.decode(((TextMessage) started).getText())).pid();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            return pid;
        }
    }

    private static void awaitGone(long pid, Duration within) throws InterruptedException {
        CadreProcess.await("process " + pid + " to be gone", within,
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }
}
