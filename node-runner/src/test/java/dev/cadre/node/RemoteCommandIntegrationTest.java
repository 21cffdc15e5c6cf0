package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.RelayWire;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote commands on a node-runner with its exec service and relay, on a real broker. */
class RemoteCommandIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private NodeRunner runner;
    private RunnerEventLog head;
    /** Processes the tests' commands started, ended by the test should it fail. */
    private final List<Long> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        head = new RunnerEventLog(broker.head());
        RemoteExec remote = new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(EmbeddedBroker.IN_VM_URL,
                broker.users().exec().user(), broker.users().exec().password()));
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), Duration.ofSeconds(30), Duration.ofSeconds(1),
                "cadre", remote), Clock.systemUTC()).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (long job : List.of(6L, 7L, 8L, 9L)) {
            Files.writeString(work.resolve("go" + job), ""); // nothing a failed test started outlives it
        }
        runner.close();
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        broker.close();
    }

    /** Places a job coordinated here whose script waits for {@code go<id>}, then exits with {@code exit}. */
    private void placeWaitingJob(long id, String token, int exit) throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/bash\nwhile [ ! -f " + work.resolve("go" + id) + " ]; do sleep 0.05; done\nexit "
                        + exit + "\n").build();
        NodeCommand.PlaceJob place = new NodeCommand.PlaceJob(id, 1, spec, new Allocation(List.of(
                new Allocation.NodeSlots(runner.nodeId(), "host1", 1, 1, 0, 0))), token);
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(runner.nodeId())))
                    .send(s.createTextMessage(MessageCodec.encode(place)));
        }
        Path claim = dir.resolve("state/jobs/" + id + "-1/claim");
        await("job " + id + " to start", WAIT, () -> Files.exists(claim));
    }

    /** Whether the process exists and is no zombie (this machine's init may never reap an orphan). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aBackgroundChildHoldingTheCommandsPipesIsKilledOnceItsAgentGoesAway() throws Exception {
        String token = "9".repeat(64);
        placeWaitingJob(9, token, 0);
        Path childPid = work.resolve("child");
        Path bashEnds = work.resolve("bash-ends");
        AtomicBoolean agentGone = new AtomicBoolean();
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            Thread agent = new Thread(() -> {
                try {
                    // Once bash ends the child still holds its stdout and stderr, so the run goes on.
                    client.run(new ExecTarget("host1", runner.nodeId(), new ExecMessage.ExecRequest("bg-1", 9, 1,
                            token, "sleep 300 & echo $! > " + childPid + ".tmp; mv " + childPid + ".tmp " + childPid
                            + "; while [ ! -f " + bashEnds + " ]; do sleep 0.05; done")), new ExecClient.Output() {
                                @Override
                                public void stdout(byte[] data) {
                                }

                                @Override
                                public void stderr(byte[] data) {
                                }
                            }, agentGone::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            agent.start();
            await("the command's background child to start", WAIT, () -> Files.exists(childPid));
            long child = Long.parseLong(Files.readString(childPid).trim());
            started.add(child);
            assertTrue(running(child));
            agentGone.set(true); // as when mpirun kills its agent: its relay releases the command
            agent.join(WAIT.toMillis());
            Files.writeString(bashEnds, "");
            await("the released run's background child to be killed", WAIT, () -> !running(child));
        }
    }

    @Test
    void aDaemonACommandLeftBehindIsKilledWhenItsAttemptEnds() throws Exception {
        String token = "6".repeat(64);
        placeWaitingJob(6, token, 0);
        Path daemonPid = work.resolve("daemon");
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            ExecClient.Outcome outcome = client.run(new ExecTarget("host1", runner.nodeId(),
                    new ExecMessage.ExecRequest("daemon-1", 6, 1, token, "sleep 300 </dev/null >/dev/null 2>&1 &"
                            + " echo $! > " + daemonPid)), new ExecClient.Output() {
                                @Override
                                public void stdout(byte[] data) {
                                }

                                @Override
                                public void stderr(byte[] data) {
                                }
                            }, () -> false);
            assertEquals(0, outcome.exitCode(), outcome.failure());
        }
        long daemon = Long.parseLong(Files.readString(daemonPid).trim());
        started.add(daemon);
        assertTrue(running(daemon), "the command ended, its daemon runs on while the job does");
        Files.writeString(work.resolve("go6"), "");
        head.finished(6);
        await("the daemon to be killed with its attempt", WAIT, () -> !running(daemon));
    }

    @Test
    void anAgentCannotWriteIntoAnotherJobsErrorThroughTheRelay() throws Exception {
        String token7 = "7".repeat(64);
        String token8 = "8".repeat(64);
        placeWaitingJob(7, token7, 3);
        placeWaitingJob(8, token8, 4);
        String nodes = "host1=" + runner.nodeId();
        // Job 8's agent names job 7, with its own token, and a host whose name is the text it wants in 7's error.
        assertEquals(ExecClient.UNREACHABLE, agent(new RelayWire.Request("7", "1", token8, nodes,
                List.of("JOB-8-WAS-HERE", "true"))));
        // Its own failure is recorded for its own end.
        assertEquals(ExecClient.UNREACHABLE, agent(new RelayWire.Request("8", "1", token8, nodes,
                List.of("nowhere", "true"))));
        Files.writeString(work.resolve("go7"), "");
        Files.writeString(work.resolve("go8"), "");
        var seven = head.finished(7);
        assertEquals(3, seven.exitCode());
        assertNull(seven.error(), "job 8's agent wrote into job 7's error");
        var eight = head.finished(8);
        assertEquals(4, eight.exitCode());
        assertTrue(eight.error() != null && eight.error().contains("host nowhere is not part of job 8's allocation"),
                String.valueOf(eight.error()));
    }

    /** Hands the request to the node's relay as bin/cadre-rsh does, and returns the exit status it answers. */
    private int agent(RelayWire.Request request) throws IOException {
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.connect(UnixDomainSocketAddress.of(dir.resolve("state/exec.sock")));
            ByteBuffer out = ByteBuffer.wrap(request.encode());
            while (out.hasRemaining()) {
                socket.write(out);
            }
            InputStream in = Channels.newInputStream(socket);
            for (int frames = 0; frames < 1_000; frames++) {
                RelayWire.Frame frame = RelayWire.readFrame(in);
                if (frame == null) {
                    break;
                }
                if (frame.type() == RelayWire.EXIT) {
                    return frame.exitCode();
                }
            }
            throw new AssertionError("the relay answered no exit status");
        }
    }
}
