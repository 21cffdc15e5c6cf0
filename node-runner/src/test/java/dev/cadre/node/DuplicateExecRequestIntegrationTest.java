package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exec-request whose command already ran on the node comes again, as the broker redelivers it when the runner
 * that took it was killed before it acknowledged it: the command never runs twice. The next runner, which adopted
 * the command, answers the request as it answers a keepalive, with the command's exit status once it has ended
 * (protocol.md 13.2).
 */
class DuplicateExecRequestIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long JOB = 31;
    private static final String TOKEN = "3".repeat(64);
    @TempDir
    Path dir;
    private Path work;
    private InVmBroker broker;
    private NodeRunner runner;
    private Session agent;

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectory(dir.resolve("work"));
        broker = InVmBroker.start(dir.resolve("broker"));
        agent = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("done"), "");
        try (InVmBroker b = broker; NodeRunner r = runner) {
            agent.close();
        }
    }

    /** A runner on the same state directory as every one before it: the next one adopts their commands. */
    private String startRunner() throws Exception {
        Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().node(), "node");
        runner = new NodeRunner(c, new NodeRunner.Settings(dir.resolve("state"), "host1", new NodeResources(2, 1024,
                0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1), "cadre", new RemoteExec(
                        work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL, broker.users().exec()
                                .user(), broker.users().exec().password()))), Clock.systemUTC()).start();
        return runner.nodeId();
    }

    /** Stops the runner as for an upgrade: its commands run on, for the next one. */
    private void stopRunner() throws Exception {
        runner.close();
        runner = null;
    }

    private void send(String queue, String json, TemporaryQueue replyTo) throws Exception {
        TextMessage m = agent.createTextMessage(json);
        m.setJMSReplyTo(replyTo);
        agent.createProducer(agent.createQueue(queue)).send(m);
    }

    /** Another command of the attempt, under its own request id; returns where its answers come. */
    private MessageConsumer request(String id, String command) throws Exception {
        TemporaryQueue replyTo = agent.createTemporaryQueue();
        MessageConsumer answers = agent.createConsumer(replyTo);
        send(Destinations.execQueue(nodeId()), MessageCodec.encode(new ExecMessage.ExecRequest(id, JOB, 1, TOKEN,
                command)), replyTo);
        return answers;
    }

    private String nodeId() {
        return runner.nodeId();
    }

    /** The exec-request, sent (again) with this reply queue; returns where its answers come. */
    private MessageConsumer request(String nodeId, TemporaryQueue replyTo) throws Exception {
        return request(nodeId, replyTo, TOKEN);
    }

    private MessageConsumer request(String nodeId, TemporaryQueue replyTo, String token) throws Exception {
        MessageConsumer answers = agent.createConsumer(replyTo);
        send(Destinations.execQueue(nodeId), MessageCodec.encode(new ExecMessage.ExecRequest("dup-" + JOB, JOB, 1,
                token, "echo ran >> " + work.resolve("runs") + "; for i in $(seq 2400); do [ -f " + work.resolve("done")
                + " ] && break; sleep 0.05; done; exit 5")), replyTo);
        return answers;
    }

    /** The exit among the answers, skipping output. */
    private static ExecMessage.ExecExit exitOf(MessageConsumer answers) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            Message m = answers.receive(1000);
            if (m != null && MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class)
                    instanceof ExecMessage.ExecExit exit) {
                return exit;
            }
        }
        throw new AssertionError("no exec-exit within " + WAIT);
    }

    /** The first exit among the answers within the time given, skipping output; null when none came. */
    private static ExecMessage.ExecExit exitWithin(MessageConsumer answers, Duration within) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        for (long left = within.toMillis(); left > 0; left = (until - System.nanoTime()) / 1_000_000) {
            Message m = answers.receive(left);
            if (m != null && MessageCodec.decode(((TextMessage) m).getText(), ExecMessage.class)
                    instanceof ExecMessage.ExecExit exit) {
                return exit;
            }
        }
        return null;
    }

    /**
     * Waits until the command's wrapper has recorded its exit, with no runner running: a command still polling for
     * the done file when the next runner starts would end under it, and the test would check another path.
     */
    private void awaitEndRecordedWithoutRunner() throws Exception {
        Path exec = dir.resolve("state/exec"); // the runtime directory of these runners is their state directory
        await("the command's exit recorded while no runner runs", WAIT, () -> {
            try (Stream<Path> files = Files.list(exec)) {
                return files.anyMatch(f -> f.getFileName().toString().startsWith(JOB + "-1-")
                        && f.getFileName().toString().endsWith(CommandWrapper.EXIT)
                        && ExecRecords.readStatus(f).isPresent());
            } catch (IOException e) {
                return false;
            }
        });
    }

    private long runs() throws Exception {
        Path runs = work.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    /** Placed on the node, which holds it for a coordinator elsewhere, as the scheduler does; then it runs once. */
    private void placeAndRunOnce(String nodeId) throws Exception {
        placeAndRunOnce(nodeId, agent.createTemporaryQueue());
    }

    /** @return where the run's answers come */
    private MessageConsumer placeAndRunOnce(String nodeId, TemporaryQueue replyTo) throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/sh\nsleep 300\n").build();
        send(Destinations.nodeQueue(nodeId), MessageCodec.encode(new NodeCommand.PlaceJob(JOB, 1, spec,
                new Allocation(List.of(new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0, 0),
                        new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))), TOKEN)), null);
        MessageConsumer answers = request(nodeId, replyTo);
        await("the command to run", WAIT, () -> {
            try {
                return runs() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return answers;
    }

    /**
     * The broker gives the runner a copy of a request it is running (its connection came back): the copy is a
     * keepalive. An exit for it would tell the agent the command ended while it runs on, and the agent, no longer
     * keeping it alive, would see it killed.
     */
    @Test
    void aCopyOfARequestRunningHereIsTakenAsAKeepaliveAndEndsNothing() throws Exception {
        String nodeId = startRunner();
        TemporaryQueue replyTo = agent.createTemporaryQueue();
        MessageConsumer answers = placeAndRunOnce(nodeId, replyTo);
        answers.close();
        MessageConsumer again = request(nodeId, replyTo);
        // Before, the copy was refused with exit 255 at once.
        assertNull(exitWithin(again, Duration.ofSeconds(3)), "the agent was told an end while the command runs");
        Files.writeString(work.resolve("done"), "");
        ExecMessage.ExecExit exit = exitOf(again);
        assertEquals(5, exit.exitCode(), String.valueOf(exit.error()));
        assertEquals(1, runs(), "the command ran again");
    }

    /**
     * A runner killed while it starts a command must leave the request recorded with it, or the broker's copy would
     * run it again: in a cgroup, the request is recorded before bash starts, and a command whose request cannot be
     * recorded never starts. Shown by a record that cannot be written (a directory where its file goes).
     */
    @Test
    void aCommandWhoseRequestCannotBeRecordedNeverStarts() throws Exception {
        String nodeId = startRunner();
        MessageConsumer first = placeAndRunOnce(nodeId, agent.createTemporaryQueue());
        Path exec = RuntimeDirectory.choose(dir.resolve("state"), Optional.empty()).exec();
        assumeTrue(Files.exists(exec.resolve(JOB + "-1-exec-0" + ExecRecords.REQUEST)), "commands tracked by session");
        // The runner's second command of the attempt is its cgroup's second.
        Path blocked = Files.createDirectory(exec.resolve(JOB + "-1-exec-1" + ExecRecords.REQUEST + ".partial"));
        try {
            MessageConsumer refused = request("unrecorded", "trap '' TERM; echo ran >> " + work.resolve("unrecorded"));
            assertEquals(255, exitOf(refused).exitCode());
            // Started before it was refused, it would have written before a command that starts after it ends.
            assertEquals(0, exitOf(request("after", "exit 0")).exitCode());
            assertFalse(Files.exists(work.resolve("unrecorded")), "ran unrecorded");
        } finally {
            Files.delete(blocked);
        }
        // Ended while its runner reads: a command still running when the runner closes has its wrapper wait for the
        // next runner to read its output (65 s here), which the check of processes left after the test takes for a
        // leak.
        Files.writeString(work.resolve("done"), "");
        assertEquals(5, exitOf(first).exitCode());
    }

    @Test
    void aRequestForACommandTheNodeAdoptedIsAnsweredWithItsExitAndNotRunAgain() throws Exception {
        String nodeId = startRunner();
        placeAndRunOnce(nodeId);
        stopRunner();
        startRunner();
        MessageConsumer again = request(nodeId, agent.createTemporaryQueue());
        Files.writeString(work.resolve("done"), "");
        ExecMessage.ExecExit exit = exitOf(again);
        assertEquals(5, exit.exitCode(), String.valueOf(exit.error()));
        assertEquals(1, runs(), "the command ran again");
    }

    /** The answer to a copy is its command's exit: a sender without the attempt's token is refused instead. */
    @Test
    void aCopyWithTheWrongTokenIsRefusedAndNotToldTheCommandsExit() throws Exception {
        String nodeId = startRunner();
        placeAndRunOnce(nodeId);
        stopRunner();
        Files.writeString(work.resolve("done"), "");
        awaitEndRecordedWithoutRunner();
        startRunner();
        ExecMessage.ExecExit refused = exitOf(request(nodeId, agent.createTemporaryQueue(), "not-the-token"));
        // Before, the copy was told the command's exit, 5, whatever its token.
        assertEquals(255, refused.exitCode(), String.valueOf(refused.error()));
        assertTrue(String.valueOf(refused.error()).contains("wrong exec token"), refused.error());
        ExecMessage.ExecExit exit = exitOf(request(nodeId, agent.createTemporaryQueue()));
        assertEquals(5, exit.exitCode(), String.valueOf(exit.error()));
        assertEquals(1, runs(), "the command ran again");
    }

    @Test
    void aRequestForACommandThatEndedWhileNoRunnerRanIsAnsweredWithItsExitAndNotRunAgain() throws Exception {
        String nodeId = startRunner();
        placeAndRunOnce(nodeId);
        stopRunner();
        Files.writeString(work.resolve("done"), "");
        awaitEndRecordedWithoutRunner();
        startRunner();
        ExecMessage.ExecExit exit = exitOf(request(nodeId, agent.createTemporaryQueue()));
        assertNotNull(exit);
        assertEquals(5, exit.exitCode(), String.valueOf(exit.error()));
        assertEquals(1, runs(), "the command ran again");
    }
}
