package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An exec request that came before its attempt's place-job and still waits for it when the runner stops cleanly is
 * handed to the next runner, which starts it once the place-job comes there (EarlyRequests.handOn); one that cannot be
 * handed on is refused at the stop, naming why. The agent here is the test: it sends the request and keeps it alive
 * as a relay does (an exec-keepalive every second, naming its reply queue). Real processes, by cgroup and by session,
 * over an embedded broker.
 */
class WaitingRequestHandOnIntegrationTest extends ExecStopTestCase {
    /** The test's agent: one run's request, sent as a relay sends it, and what comes back on its reply queue. */
    private final class Agent {
        final Session session;
        final MessageProducer toNode;
        final TemporaryQueue replies;
        final MessageConsumer answers;
        final StringBuilder stdout = new StringBuilder();

        Agent() throws Exception {
            session = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
            toNode = session.createProducer(session.createQueue(Destinations.execQueue("n1")));
            replies = session.createTemporaryQueue();
            answers = session.createConsumer(replies);
        }

        void send(ExecMessage message) throws Exception {
            TextMessage m = session.createTextMessage(MessageCodec.encode(message));
            m.setStringProperty("type", MessageCodec.typeName(message));
            m.setJMSReplyTo(replies);
            toNode.send(m);
        }

        /**
         * Sends the request, then one the node refuses at once after the same producer: once that is answered, the
         * node has taken the request before it.
         */
        void sendAndSeeTaken(ExecMessage.ExecRequest request) throws Exception {
            send(request);
            TemporaryQueue probeReplies = session.createTemporaryQueue();
            MessageConsumer probe = session.createConsumer(probeReplies);
            TextMessage m = session.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("probe", 8, 1,
                    TOKEN, "true")));
            m.setJMSReplyTo(probeReplies);
            toNode.send(m);
            assertNotNull(probe.receive(WAIT.toMillis()), "the probe was not refused");
            assertNull(answers.receiveNoWait(), "the request was answered before its place-job came");
        }

        /** Keeps the run alive, a keepalive a second, until its exit comes; its stdout is collected on the way. */
        ExecMessage.ExecExit awaitExit(String requestId) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                send(new ExecMessage.ExecKeepalive(requestId));
                long nextKeepalive = System.nanoTime() + RunKeepalives.EVERY.toNanos();
                Message m;
                while ((m = answers.receive(Math.max(1, (nextKeepalive - System.nanoTime()) / 1_000_000))) != null) {
                    ExecMessage answer = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
                    if (answer instanceof ExecMessage.ExecExit exit) {
                        return exit;
                    }
                    if (answer instanceof ExecMessage.ExecOutput o && o.stream().equals("stdout")) {
                        stdout.append(new String(Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8));
                    }
                    if (System.nanoTime() >= nextKeepalive) {
                        break;
                    }
                }
            }
            throw new AssertionError("no exit for " + requestId + " within " + WAIT.toSeconds() + " s");
        }
    }

    /**
     * The request waits for job 7's place-job as the runner stops; the place-job comes to the next runner, which
     * starts the command: its agent gets its output and exit 7, not 'does not know this command'.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRequestWaitingForItsPlaceJobAtTheStopRunsUnderTheNextRunner(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecService first = started(cgroups, place(8, OTHER_TOKEN)); // the probe's job, not yet job 7
        Agent a = new Agent();
        a.sendAndSeeTaken(new ExecMessage.ExecRequest("w1", 7, 1, TOKEN, "echo waited-$CADRE_JOB_ID; exit 7"));

        stop(first); // the request still waiting
        ExecService next = next(cgroups);
        next.hold(place(7, TOKEN));

        ExecMessage.ExecExit exit = a.awaitExit("w1");
        assertEquals(7, exit.exitCode(), "" + exit.error());
        assertEquals("waited-7\n", a.stdout.toString());
    }

    /**
     * The stopping runner cannot hand the request on (its exec account's connection is gone): it refuses it at the
     * stop, naming why, rather than leave its agent to hear from the next runner that nothing knows it.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRequestThatCannotBeHandedOnIsRefusedAtTheStopNamingWhy(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecService first = started(cgroups, place(8, OTHER_TOKEN)); // the probe's job, not yet job 7
        Agent a = new Agent();
        a.sendAndSeeTaken(new ExecMessage.ExecRequest("w2", 7, 1, TOKEN, "exit 7"));

        execAccount.close();
        stop(first);

        Message m = a.answers.receive(WAIT.toMillis());
        assertNotNull(m, "the request was not answered at the stop");
        ExecMessage answer = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
        assertTrue(answer instanceof ExecMessage.ExecExit, ((TextMessage) m).getText());
        ExecMessage.ExecExit exit = (ExecMessage.ExecExit) answer;
        assertEquals(255, exit.exitCode());
        assertTrue(exit.error().startsWith("the node-runner on n1 stopped before job 7 attempt 1 was placed there,"
                + " and could not hand the request on to the next node-runner"), exit.error());
    }
}
