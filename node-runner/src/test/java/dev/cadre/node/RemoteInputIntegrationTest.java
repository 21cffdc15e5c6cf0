package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.InputWindow;
import dev.cadre.node.core.RelayWire;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's standard input through the relay and the broker (protocol.md §13.10), on a node-runner's exec service
 * with real processes: byte for byte, within the window, closed at its end, dropped when the command has had enough;
 * /dev/null for agents that send none.
 */
class RemoteInputIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long JOB = 5;
    private static final String TOKEN = "5".repeat(64);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner runner;
    private Connection execAccount;
    private ExecRelay relay;

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", remote), Clock.systemUTC()).start();
        // A relay of the test's own, whose window it can look into; the runner's exec service runs the commands.
        execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "exec");
        relay = ExecRelay.start(Files.createDirectories(dir.resolve("relay")), new ExecClient(execAccount), new AgentFailures(
                new HeldAttempts("relay", new ExecRecords(dir.resolve("relay-exec")))));
        placeWaitingJob();
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("go"), "");
        try {
            if (relay != null) {
                relay.close();
            }
            if (execAccount != null) {
                execAccount.close();
            }
            if (runner != null) {
                runner.close();
            }
        } finally {
            broker.close();
        }
    }

    private void placeWaitingJob() throws Exception {
        JobSpec spec = JobSpec.builder().name("input").user("alice").workDir(work.toString())
                .script("#!/bin/bash\nfor i in $(seq 2400); do [ -f " + work.resolve("go")
                        + " ] && break; sleep 0.05; done\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(JOB, 1, spec, new Allocation(List.of(
                new Allocation.NodeSlots(runner.nodeId(), "host1", 1, 1, 0, 0))), TOKEN);
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(runner.nodeId())))
                    .send(s.createTextMessage(MessageCodec.encode(place)));
        }
        Path claim = dir.resolve("state/jobs/" + JOB + "-1/claim");
        await("the job to start", WAIT, () -> Files.exists(claim));
    }

    private RelayWire.Request request(Boolean input, String... args) {
        RelayWire.Request r = new RelayWire.Request(Long.toString(JOB), "1", TOKEN, "host1=" + runner.nodeId(),
                List.of(args), "");
        return input == null ? r : r.withInput(input);
    }

    private InputAgent agent(Boolean input, String... args) throws Exception {
        return InputAgent.start(relay.socket(), request(input, args));
    }

    @Test
    void tenMebibytesThroughCatArriveWholeWithNoMoreThanTheWindowUnacknowledged() throws Exception {
        Path go = work.resolve("read");
        // The command reads nothing until told: the window fills, and the agent's writes stop.
        try (InputAgent agent = agent(true, "host1",
                "for i in $(seq 6000); do [ -e " + go + " ] && break; sleep 0.02; done; exec cat")) {
            assertTrue(agent.go(30), "the relay asks for the input once the command runs");
            MessageDigest sent = InputAgent.sha256();
            Random random = new Random(42);
            int chunks = 160; // 10 MiB
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < chunks; i++) {
                        byte[] b = new byte[RelayWire.MAX_DATA];
                        random.nextBytes(b);
                        sent.update(b);
                        agent.data(b);
                    }
                    agent.end();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.setDaemon(true);
            writer.start();
            await("the window to fill while the command reads nothing", WAIT,
                    () -> relay.liveInputWindow() >= InputWindow.SIZE - RelayWire.MAX_DATA);
            long taken = agent.written.get();
            // The window, a frame the relay holds, the pipe's and the socket's buffers: nothing near 10 MiB.
            assertTrue(taken < 3 * InputWindow.SIZE, taken + " bytes taken from the agent while the command read none");
            Files.writeString(go, "");
            assertEquals(0, agent.exit(60), agent.stderr());
            writer.join(WAIT.toMillis());
            assertEquals((long) chunks * RelayWire.MAX_DATA, agent.stdoutBytes());
            assertArrayEquals(sent.digest(), agent.digest(), "cat gave back other bytes");
            assertEquals("", agent.stderr());
        }
        assertTrue(relay.largestInputWindow() <= InputWindow.SIZE, relay.largestInputWindow() + " bytes unacknowledged");
    }

    @Test
    void theEndOfInputClosesTheCommandsInput() throws Exception {
        try (InputAgent agent = agent(true, "host1", "wc", "-c")) {
            assertTrue(agent.go(30));
            agent.data(new byte[RelayWire.MAX_DATA]);
            agent.data(new byte[100_000 - RelayWire.MAX_DATA]);
            agent.data("tail".getBytes(StandardCharsets.US_ASCII));
            agent.end();
            assertEquals(0, agent.exit(30), agent.stderr());
            assertEquals("100004", agent.stdoutText().strip());
        }
    }

    @Test
    void endlessInputToACommandThatHasHadEnoughIsDroppedAndEndsWithIt() throws Exception {
        try (InputAgent agent = agent(true, "host1", "head", "-c", "1;", "echo", "done")) {
            assertTrue(agent.go(30));
            // Endless, as yes(1) is: the relay's CLOSED or the exit stops it.
            Thread writer = new Thread(() -> {
                byte[] b = new byte[RelayWire.MAX_DATA];
                java.util.Arrays.fill(b, (byte) 'y');
                try {
                    while (!agent.closed() && !agent.exited()) {
                        agent.data(b);
                    }
                } catch (java.io.IOException e) {
                    // the relay hung up after the exit
                }
            });
            writer.setDaemon(true);
            writer.start();
            assertEquals(0, agent.exit(30), agent.stderr());
            assertEquals("ydone\n", agent.stdoutText());
            assertEquals("", agent.stderr());
            agent.close(); // as the agent does once it has the exit
            writer.join(WAIT.toMillis());
            assertFalse(writer.isAlive());
        }
        assertTrue(relay.largestInputWindow() <= InputWindow.SIZE, relay.largestInputWindow() + " bytes unacknowledged");
    }

    @Test
    void agentsThatSendNoInputAndSshsNoInputOptionGiveTheCommandDevNull() throws Exception {
        // Version 2, as before input: bytes after the request mean nothing.
        try (InputAgent old = agent(null, "host1", "wc", "-c")) {
            old.writeRaw("not input".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, old.exit(30), old.stderr());
            assertEquals("0", old.stdoutText().strip());
            assertFalse(old.wasToldGo());
        }
        try (InputAgent none = agent(false, "host1", "wc", "-c")) {
            assertEquals(0, none.exit(30), none.stderr());
            assertEquals("0", none.stdoutText().strip());
            assertFalse(none.wasToldGo());
        }
        try (InputAgent n = agent(true, "-n", "host1", "wc", "-c")) {
            assertEquals(0, n.exit(30), n.stderr());
            assertEquals("0", n.stdoutText().strip());
            assertFalse(n.wasToldGo(), "ssh -n: the agent's input is never asked for");
            assertTrue(n.closed());
        }
    }

    @Test
    void badInputFramesAreRefusedByNameAndEndTheInput() throws Exception {
        try (InputAgent agent = agent(true, "host1", "wc", "-c")) {
            assertTrue(agent.go(30));
            agent.data("12345".getBytes(StandardCharsets.US_ASCII));
            // One frame over the limit: its bytes are never read as input.
            ByteBuffer head = ByteBuffer.allocate(5).put(RelayWire.DATA).putInt(RelayWire.MAX_DATA + 1);
            agent.writeRaw(head.array());
            assertEquals(0, agent.exit(30), agent.stderr());
            assertEquals("5", agent.stdoutText().strip());
            assertTrue(agent.stderr().contains("an input frame claims 65537 bytes; the most is 65536"),
                    agent.stderr());
        }
        try (InputAgent agent = agent(true, "host1", "wc", "-c")) {
            assertTrue(agent.go(30));
            agent.data("abc".getBytes(StandardCharsets.US_ASCII));
            agent.end();
            agent.data("after the end".getBytes(StandardCharsets.US_ASCII));
            assertEquals(0, agent.exit(30), agent.stderr());
            assertEquals("3", agent.stdoutText().strip());
        }
    }
}
