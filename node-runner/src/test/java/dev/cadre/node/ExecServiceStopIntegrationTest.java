package dev.cadre.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.testing.Await;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Six requests wait for their attempt's place-job, which comes just as the runner stops. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void requestsStartedAsTheRunnerStopsAreAdoptedWholeByTheNextOne(boolean byCgroup) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        ExecService first = started(cgroups, place(8, OTHER_TOKEN));
        List<MessageConsumer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            TemporaryQueue replies = agents.createTemporaryQueue();
            answers.add(agents.createConsumer(replies));
            send(new ExecMessage.ExecRequest("r" + i, 7, 1, TOKEN, "echo out-" + i + "; until [ -f "
                    + work.resolve("done") + " ]; do sleep 0.05; done; exit 7"), replies);
        }
        // Refused at once, after the service has taken every request before it: they all wait for job 7's place-job.
        TemporaryQueue probeReplies = agents.createTemporaryQueue();
        MessageConsumer probe = agents.createConsumer(probeReplies);
        send(new ExecMessage.ExecRequest("probe", 8, 1, TOKEN, "true"), probeReplies);
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
     * the wrapper has made the named pipes of its output, or once it has made them but before it has opened them (a
     * mkfifo that waits for a file here, before or after it makes them; a loaded node's scheduler elsewhere): it
     * reads them once the wrapper writes there, relays the output, and tells the exit as the command ends, not only
     * once the wrapper gives up waiting for a reader (the silence limit, 65 s here).
     *
     * @param made whether the pipes are made when the next runner adopts the command
     */
    @ParameterizedTest
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    void aCommandAdoptedBeforeItsOutputPipesAreOpenedIsToldWhole(boolean byCgroup, boolean made) throws Exception {
        AttemptCgroups cgroups = byCgroup ? node.cgroups() : null;
        Path pipes = work.resolve("pipes");
        Path bin = Files.createDirectories(work.resolve("bin"));
        String waitForPipes = "i=0; until [ -f " + pipes + " ] || [ $i -ge 600 ]; do sleep 0.05; i=$((i+1)); done";
        Files.writeString(bin.resolve("mkfifo"), "#!/bin/sh\n" + (made ? realMkfifo() + " \"$@\" && " + waitForPipes
                : waitForPipes + "; exec " + realMkfifo() + " \"$@\"") + "\n");
        assertTrue(bin.resolve("mkfifo").toFile().setExecutable(true));
        ExecService first = started(cgroups, place(7, TOKEN, Map.of("PATH", bin + ":" + System.getenv("PATH"))));
        TemporaryQueue replies = agents.createTemporaryQueue();
        MessageConsumer answers = agents.createConsumer(replies);
        send(new ExecMessage.ExecRequest("p1", 7, 1, TOKEN, "echo adopted-output; exit 7"), replies);
        Message started = answers.receive(WAIT.toMillis());
        assertNotNull(started, "the command did not start");
        assertTrue(MessageCodec.decode(((TextMessage) started).getText(), ExecMessage.class)
                instanceof ExecMessage.ExecStarted, ((TextMessage) started).getText());
        stop(first);
        Path stdout = made ? madePipe(CommandWrapper.STDOUT) : null;

        next(cgroups);
        CollectedOutput output = new CollectedOutput();
        CompletableFuture<ExecClient.Outcome> outcome = resume("p1", output);
        if (made) {
            long here = ProcessHandle.current().pid();
            Await.until("the next runner reading the stdout pipe its wrapper has not opened yet", WAIT,
                    () -> CommandCgroupAtStopIntegrationTest.holds(here, stdout));
        }
        Files.writeString(pipes, "");
        ExecClient.Outcome o = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(7, o.exitCode(), "" + o.failure());
        assertEquals("adopted-output\n", output.stdout());
    }

    /** The named pipe of the stream of the one command here, once its wrapper has made it. */
    private Path madePipe(String stream) throws InterruptedException {
        Await.until("the wrapper's " + stream + " pipe", WAIT, () -> pipe(stream).isPresent());
        return pipe(stream).orElseThrow();
    }

    private Optional<Path> pipe(String stream) {
        try (Stream<Path> files = Files.list(state.resolve("exec"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(stream)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        ExecSessions first = sessionsHolding7(cgroups).sessions();
        TemporaryQueue agentQueue = agents.createTemporaryQueue();
        MessageConsumer answers = agents.createConsumer(agentQueue);
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
}
