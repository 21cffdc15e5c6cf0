package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A clean stop of a node-runner (SIGTERM, NodeRunner.close) leaves each remote command either started, its records
 * whole, for the next runner to adopt and tell its agent its exit, or never started and its agent answered; nothing
 * half-made. Requests that came before their attempt's place-job are started once it comes, off the node's command
 * thread (ExecService.hold): the stop lets those starts finish. A command whose exit the broker does not take as the
 * runner stops keeps its records until the next runner has told it. Real processes, by cgroup and by session, over
 * an embedded broker.
 */
class ExecServiceStopIntegrationTest extends ExecStopTestCase {
    private static final int REQUESTS = 6;
    /** The resuming agents, each waiting on a thread of its own. */
    private final ExecutorService agents = Executors.newCachedThreadPool();

    @AfterEach
    void stopAgents() {
        agents.shutdownNow();
    }

    /** Sends the request, as an agent's relay does; its answers come to {@code replies}. */
    private static void send(Session s, MessageProducer toNode, ExecMessage.ExecRequest request,
            TemporaryQueue replies) throws Exception {
        TextMessage m = s.createTextMessage(MessageCodec.encode(request));
        m.setJMSReplyTo(replies);
        toNode.send(m);
    }

    /** Six requests wait for their attempt's place-job, which comes just as the runner stops. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void requestsStartedAsTheRunnerStopsAreAdoptedWholeByTheNextOne(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecService first = started(cgroups, place(8, OTHER_TOKEN));
        Session s = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer toNode = s.createProducer(s.createQueue(Destinations.execQueue("n1")));
        List<MessageConsumer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            TemporaryQueue replies = s.createTemporaryQueue();
            answers.add(s.createConsumer(replies));
            send(s, toNode, new ExecMessage.ExecRequest("r" + i, 7, 1, TOKEN, "echo out-" + i + "; until [ -f "
                    + work.resolve("done") + " ]; do sleep 0.05; done; exit 7"), replies);
        }
        // Refused at once, after the service has taken every request before it: they all wait for job 7's place-job.
        TemporaryQueue probeReplies = s.createTemporaryQueue();
        MessageConsumer probe = s.createConsumer(probeReplies);
        send(s, toNode, new ExecMessage.ExecRequest("probe", 8, 1, TOKEN, "true"), probeReplies);
        assertNotNull(probe.receive(WAIT.toMillis()), "the probe was not refused");

        first.hold(place(7, TOKEN));
        stop(first); // while it starts the requests that waited
        for (int i = 0; i < REQUESTS; i++) {
            Message m;
            while ((m = answers.get(i).receiveNoWait()) != null) {
                ExecMessage answer = MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class);
                assertTrue(answer instanceof ExecMessage.ExecStarted || answer instanceof ExecMessage.ExecOutput,
                        "r" + i + " was answered " + ((TextMessage) m).getText());
            }
        }

        next(cgroups);
        List<CompletableFuture<ExecClient.Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            outcomes.add(resume("r" + i));
        }
        Files.writeString(work.resolve("done"), "");
        for (int i = 0; i < REQUESTS; i++) {
            ExecClient.Outcome o = outcomes.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(7, o.exitCode(), "r" + i + ": " + o.failure());
        }
    }

    /**
     * The runner stops just after it told the command's wrapper to run, and the next one adopts the command before
     * the wrapper has made the named pipes of its output (a mkfifo that waits for a file here; a loaded node's
     * scheduler elsewhere): it reads them once they are there, relays the output, and tells the exit as the command
     * ends, not only once the wrapper gives up waiting for a reader (the silence limit, 65 s here).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCommandAdoptedBeforeItsOutputPipesAreMadeIsToldWhole(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        Path pipes = work.resolve("pipes");
        Path bin = Files.createDirectories(work.resolve("bin"));
        Files.writeString(bin.resolve("mkfifo"), "#!/bin/sh\ni=0; until [ -f " + pipes + " ] || [ $i -ge 600 ]; do"
                + " sleep 0.05; i=$((i+1)); done; exec " + realMkfifo() + " \"$@\"\n");
        assertTrue(bin.resolve("mkfifo").toFile().setExecutable(true));
        ExecService first = started(cgroups, place(7, TOKEN, Map.of("PATH", bin + ":" + System.getenv("PATH"))));
        Session s = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = s.createTemporaryQueue();
        MessageConsumer answers = s.createConsumer(replies);
        send(s, s.createProducer(s.createQueue(Destinations.execQueue("n1"))), new ExecMessage.ExecRequest("p1", 7,
                1, TOKEN, "echo adopted-output; exit 7"), replies);
        Message started = answers.receive(WAIT.toMillis());
        assertNotNull(started, "the command did not start");
        assertTrue(MessageCodec.decode(((TextMessage) started).getText(), ExecMessage.class)
                instanceof ExecMessage.ExecStarted, ((TextMessage) started).getText());
        stop(first);

        next(cgroups);
        CollectedOutput output = new CollectedOutput();
        CompletableFuture<ExecClient.Outcome> outcome = resume("p1", output);
        Files.writeString(pipes, "");
        ExecClient.Outcome o = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(7, o.exitCode(), "" + o.failure());
        assertEquals("adopted-output\n", output.stdout());
    }

    /** The mkfifo on the node's PATH. */
    private static Path realMkfifo() {
        return Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "mkfifo")).filter(Files::isExecutable)
                .findFirst().orElseThrow();
    }

    /**
     * The command ends as its runner stops: the stop closes the exec service's sessions and then its replies
     * (ExecService.close) while the command's exit is on its way, which the broker then does not take.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anExitNotSentAsTheRunnerStopsIsToldByTheNextRunner(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecRecords records = new ExecRecords(state.resolve("exec"));
        HeldAttempts held = new HeldAttempts("n1", records);
        held.hold(place(7, TOKEN));
        ExecSessions first = new ExecSessions(records, held, Duration.ofSeconds(1), cgroups);
        Session s = agent.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue agentQueue = s.createTemporaryQueue();
        MessageConsumer answers = s.createConsumer(agentQueue);
        CompletableFuture<Boolean> exitSent = startStoppingAtItsExit(first, agentQueue,
                new ExecMessage.ExecRequest("u1", 7, 1, TOKEN, "echo before-the-stop; until [ -f "
                + work.resolve("end") + " ]; do sleep 0.05; done; exit 7"));
        Files.writeString(work.resolve("end"), "");
        assertFalse(exitSent.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the exit went out after the stop");
        Message m;
        while ((m = answers.receiveNoWait()) != null) {
            assertFalse(MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class)
                    instanceof ExecMessage.ExecExit, ((TextMessage) m).getText());
        }

        next(cgroups);
        ExecClient.Outcome o = resume("u1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(7, o.exitCode(), "" + o.failure());
    }

    /** Its agent resuming the run with the next runner (protocol.md 13.9), on a connection of its own. */
    private CompletableFuture<ExecClient.Outcome> resume(String requestId) {
        return resume(requestId, new CollectedOutput());
    }

    private CompletableFuture<ExecClient.Outcome> resume(String requestId, ExecClient.Output output) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "resumer");
                 ExecClient client = new ExecClient(c)) {
                return client.resume(new ExecTarget("h1", "n1", new ExecMessage.ExecRequest(requestId, 7, 1, TOKEN,
                        "resumed")), output, () -> false, killed -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, agents);
    }
}
