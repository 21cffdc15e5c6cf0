package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static dev.cadre.node.RemoteCommandIntegrationTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node-runner in a JVM of its own, killed with SIGKILL while commands that cadre-rsh started through it run: the
 * next runner on the node finds them and kills them once their attempts end, and holds again the attempts it held
 * for jobs another node coordinates. A runner answers the kill of an attempt it holds for another coordinator
 * with runner-released, once its commands are gone: until then the scheduler keeps the attempt's slots taken. A
 * runner stopped cleanly leaves its commands running too, for the next one.
 */
class RunnerCrashExecIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;
    @TempDir
    Path work;
    private InVmBroker broker;
    private RunnerEventLog head;
    private Process crashing;
    private NodeRunner restarted;
    private final List<Long> commands = new ArrayList<>();
    /** Set to let the agents of quiet commands go. */
    private final List<AtomicBoolean> agents = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        head = new RunnerEventLog(broker.head());
    }

    @AfterEach
    void stop() throws Exception {
        try (Stream<Path> files = Files.list(work)) {
            files.filter(f -> f.getFileName().toString().startsWith("wait-")).forEach(f -> {
                try {
                    Files.writeString(work.resolve("go" + f.getFileName().toString().substring(5)), "");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        agents.forEach(a -> a.set(true));
        if (crashing != null) {
            crashing.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (restarted != null) {
            restarted.close();
        }
        // A failed test leaves its commands; they are the test's, so it ends them.
        commands.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        broker.close();
    }

    private static RemoteExec remote(String brokerUrl, Credentials exec, Path work) {
        return new RemoteExec(work.resolve("cadre-rsh"), new ExecAccess(brokerUrl, exec.user(), exec.password()));
    }

    private static NodeRunner.Settings settings(Path state, RemoteExec remote) {
        return new NodeRunner.Settings(state, "host1", new NodeResources(2, 1024, 0, List.of("127.0.0.1")),
                Duration.ofSeconds(30), Duration.ofSeconds(1), "cadre", remote);
    }

    /** Starts the runner that will be killed; returns its node id. */
    private String startCrashingRunner() throws Exception {
        String url = "tcp://127.0.0.1:" + broker.broker().corePort();
        crashing = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashingRunner.class.getName(), url,
                dir.resolve("state").toString(), work.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Writer in = new OutputStreamWriter(crashing.getOutputStream(), StandardCharsets.UTF_8);
        for (Credentials c : List.of(broker.users().node(), broker.users().exec())) {
            in.write(c.user() + "\n" + c.password() + "\n");
        }
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(crashing.getInputStream(),
                StandardCharsets.UTF_8));
        String nodeId = out.readLine();
        assertTrue(nodeId != null && nodeId.startsWith("host1-"), "the runner did not start: " + nodeId);
        return nodeId;
    }

    /** What {@code kill -9} of the runner does. */
    private void crash() throws InterruptedException {
        crashing.destroyForcibly();
        assertTrue(crashing.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, crashing.exitValue(), "killed by SIGKILL");
        crashing = null;
    }

    /** What {@code kill} (SIGTERM) of the runner does: {@code cadre node} closes it, as here, and exits. */
    private void stopCleanly() throws InterruptedException {
        // SIGTERM alone: Process.destroy would also close its stdin, whose end stops the runner at once.
        assertTrue(crashing.toHandle().destroy());
        assertTrue(crashing.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, crashing.exitValue(), "stopped by SIGTERM, through its shutdown hook");
        crashing = null;
    }

    /**
     * Until the agents' keepalives wait on the node's exec queue, as they do while no runner runs: a restarted
     * runner gets them all at once, first.
     */
    private void awaitQueuedKeepalives(String nodeId, int count) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            await(count + " queued keepalives", WAIT, () -> {
                try (var browser = s.createBrowser(s.createQueue(Destinations.execQueue(nodeId)))) {
                    return java.util.Collections.list(browser.getEnumeration()).size() >= count;
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private NodeRunner restart() throws Exception {
        restarted = new NodeRunner(broker.node(), settings(dir.resolve("state"), remote(EmbeddedBroker.IN_VM_URL,
                broker.users().exec(), work)), Clock.systemUTC()).start();
        return restarted;
    }

    private void send(String nodeId, NodeCommand command) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId)))
                    .send(s.createTextMessage(MessageCodec.encode(command)));
        }
    }

    /** Job {@code id}, its script waiting for {@code go<id>}, on these nodes, the first its coordinator. */
    private NodeCommand.PlaceJob place(long id, List<Allocation.NodeSlots> nodes) throws Exception {
        Files.writeString(work.resolve("wait-" + id), "");
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/bash\nfor i in $(seq 2400); do [ -f " + work.resolve("go" + id)
                        + " ] && break; sleep 0.05; done\n").build();
        return new NodeCommand.PlaceJob(id, 1, spec, new Allocation(nodes), token(id));
    }

    private static String token(long id) {
        return Long.toString(id).repeat(64).substring(0, 64);
    }

    /**
     * Runs a command for the job on the node as an agent would, and returns the exit it reports.
     *
     * @param gone true once the agent is to go away without waiting for the exit
     */
    private ExecClient.Outcome exec(String nodeId, long job, String requestId, String command, AtomicBoolean gone,
            ByteArrayOutputStream out) throws Exception {
        try (Connection execAccount = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                "exec");
             ExecClient client = new ExecClient(execAccount)) {
            return client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(requestId, job, 1,
                    token(job), command)), new ExecClient.Output() {
                        @Override
                        public void stdout(byte[] data) {
                            out.writeBytes(data);
                        }

                        @Override
                        public void stderr(byte[] data) {
                            out.writeBytes(data);
                        }
                    }, gone::get);
        }
    }

    /**
     * Starts a quiet command for the job through the crashing runner, as mpirun starts orted, and returns its pid
     * once it runs; its agent waits for it until the test ends.
     */
    private long startQuietCommand(String nodeId, long job) throws Exception {
        return startQuietCommand(nodeId, job, "");
    }

    /** @param prelude shell run first, in the command's own shell */
    private long startQuietCommand(String nodeId, long job, String prelude) throws Exception {
        Path pid = work.resolve("pid-" + job);
        AtomicBoolean gone = new AtomicBoolean();
        Thread agent = new Thread(() -> {
            try {
                exec(nodeId, job, "quiet-" + job, prelude + "echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
                        + "; exec sleep 300", gone, new ByteArrayOutputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        agent.setDaemon(true);
        agent.start();
        await("job " + job + "'s command to start", WAIT, () -> Files.exists(pid));
        long command = Long.parseLong(Files.readString(pid).trim());
        commands.add(command);
        // The agent stays: one that went away would release the run, and its command would be killed at once.
        agents.add(gone);
        return command;
    }

    /** The exec service's records left in the runtime directory (here the state directory). */
    private boolean noRecordsLeft() {
        try (Stream<Path> files = Files.list(dir.resolve("state/exec"))) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void commandsOfAnAttemptThatEndedWhileTheRunnerWasDownAreKilledWhenItRestarts() throws Exception {
        String nodeId = startCrashingRunner();
        send(nodeId, place(7, List.of(new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))));
        long command = startQuietCommand(nodeId, 7);
        // The node holds the attempt for its commands from the place-job's arrival, before the job starts: crashed
        // before its wrapper's claim, the job would be started anew by the restart instead of having ended.
        Path attempt = dir.resolve("state/jobs/7-1");
        await("job 7's wrapper to claim its attempt", WAIT, () -> attempt.resolve(AttemptDirectory.CLAIM).toFile()
                .length() > 0);
        crash();
        assertTrue(running(command), "a quiet command outlives its runner");
        Files.writeString(work.resolve("go7"), ""); // the job ends while no runner watches it
        await("the job's end recorded while no runner runs", WAIT,
                () -> Files.exists(attempt.resolve(AttemptDirectory.STATUS)));
        restart();
        head.finished(7);
        await("the command of the ended attempt to be killed", WAIT, () -> !running(command));
        await("its record to be removed", WAIT, this::noRecordsLeft);
    }

    @Test
    void aFollowerHoldsItsAttemptAgainAfterACrashAndKillsItsCommandsWhenTheAttemptIsKilled() throws Exception {
        String nodeId = startCrashingRunner();
        NodeCommand.PlaceJob place = place(8, List.of(new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0,
                0), new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0)));
        send(nodeId, place);
        long command = startQuietCommand(nodeId, 8);
        crash();
        head.events.clear();
        restart();
        await("the restarted runner's heartbeat", WAIT, () -> head.events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.NodeHeartbeat));
        RunnerEvent.NodeHeartbeat beat = head.events.stream().filter(e -> e instanceof RunnerEvent.NodeHeartbeat)
                .map(RunnerEvent.NodeHeartbeat.class::cast).findFirst().orElseThrow();
        assertEquals(List.of(new RunnerEvent.RunningAttempt(8, 1)), beat.running(), "the attempt is still held");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecClient.Outcome again = exec(nodeId, 8, "again-8", "echo still held", new AtomicBoolean(), out);
        assertNull(again.failure(), out.toString(StandardCharsets.UTF_8));
        assertEquals("still held\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(running(command), "the command of an attempt still held runs on");

        send(nodeId, new NodeCommand.KillJob(8, 1, JobState.CANCELLED));
        await("the command of the killed attempt to be killed", WAIT, () -> !running(command));
        await("its records to be removed", WAIT, this::noRecordsLeft);
    }

    @Test
    void aFollowerAnswersAKillOnlyOnceItsCommandsAreGone() throws Exception {
        String nodeId = restart().nodeId();
        send(nodeId, place(9, List.of(new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0, 0),
                new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))));
        // SIGTERM ignored: the command lives through the kill's grace period, until SIGKILL.
        long command = startQuietCommand(nodeId, 9, "trap '' TERM; ");
        send(nodeId, new NodeCommand.KillJob(9, 1, JobState.NODE_FAIL));
        await("runner-released for the attempt", WAIT, () -> head.events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.RunnerReleased r && r.jobId() == 9 && r.attempt() == 1
                        && r.nodeId().equals(nodeId)));
        assertTrue(!running(command), "released while the command still ran");

        send(nodeId, new NodeCommand.KillJob(10, 3, JobState.CANCELLED));
        await("runner-released for an attempt the node never held", WAIT, () -> head.events.stream()
                .anyMatch(e -> e instanceof RunnerEvent.RunnerReleased r && r.jobId() == 10 && r.attempt() == 3));
    }

    /**
     * Runs the command through an agent that waits for its exit on a thread of its own; the exit, once it comes.
     * Returns once the agent has the command's first output: it knows the command started.
     */
    private java.util.concurrent.CompletableFuture<String> agentWaiting(String nodeId, long job, String command)
            throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var exit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                ExecClient.Outcome o = exec(nodeId, job, "waiting-" + job, command, new AtomicBoolean(), out);
                synchronized (out) {
                    return o.exitCode() + " " + out.toString(StandardCharsets.UTF_8);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the agent to hear the command's output", WAIT, () -> {
            synchronized (out) {
                return out.size() > 0;
            }
        });
        return exit;
    }

    /** An agent's command for job {@code id} that runs until {@code done-<id>}: its agent's exit, and its pid. */
    private record WaitingCommand(java.util.concurrent.CompletableFuture<String> exit, long pid) {
    }

    /** Starts a {@link WaitingCommand} for a job another node coordinates, through the runner to be killed. */
    private WaitingCommand startWaitingCommand(String nodeId, long job) throws Exception {
        send(nodeId, place(job, List.of(new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0, 0),
                new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))));
        Path pid = work.resolve("pid-" + job);
        var exit = agentWaiting(nodeId, job, "echo started; echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
                + "; for i in $(seq 2400); do [ -f " + work.resolve("done-" + job) + " ] && break; sleep 0.05; done");
        await("the command to start", WAIT, () -> Files.exists(pid));
        long command = Long.parseLong(Files.readString(pid).trim());
        commands.add(command);
        return new WaitingCommand(exit, command);
    }

    @Test
    void anAgentWhoseRunnerRestartedIsAnsweredOnceTheAdoptedCommandEnds() throws Exception {
        String nodeId = startCrashingRunner();
        WaitingCommand c = startWaitingCommand(nodeId, 11);
        crash();
        // The keepalives sent while no runner ran reach the next one before anything else.
        awaitQueuedKeepalives(nodeId, 2);
        restart();
        assertAnsweredOnlyOnceTheAdoptedCommandEnds(nodeId, c, 11);
    }

    /**
     * A runner stopped cleanly (to be upgraded, say) leaves its commands to the next one, as its batch jobs: their
     * agents, on the coordinator, are still there.
     */
    @Test
    void aCleanStopLeavesTheRunningCommandsToTheNextRunner() throws Exception {
        String nodeId = startCrashingRunner();
        WaitingCommand c = startWaitingCommand(nodeId, 13);
        stopCleanly();
        assertTrue(running(c.pid()), "the command outlives a clean stop of its runner");
        awaitQueuedKeepalives(nodeId, 2);
        restart();
        assertAnsweredOnlyOnceTheAdoptedCommandEnds(nodeId, c, 13);
    }

    private void assertAnsweredOnlyOnceTheAdoptedCommandEnds(String nodeId, WaitingCommand c, long job)
            throws Exception {
        // Not answered while the adopted command still runs, even once an unknown request would have been.
        assertThrows(java.util.concurrent.TimeoutException.class, () -> c.exit().get(
                UnknownRequests.UNKNOWN_FOR.toMillis() + 2000, TimeUnit.MILLISECONDS));
        assertTrue(running(c.pid()), "the adopted command runs on");
        Files.writeString(work.resolve("done-" + job), "");
        // Its exit status, as its wrapper recorded it (AdoptedCommandExitIntegrationTest).
        assertEquals("0 started\n", c.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void anAgentWhoseCommandEndedWhileItsRunnerWasDownIsAnswered() throws Exception {
        String nodeId = startCrashingRunner();
        WaitingCommand c = startWaitingCommand(nodeId, 12);
        crash();
        Files.writeString(work.resolve("done-12"), "");
        await("the command's end", WAIT, () -> !running(c.pid()));
        restart();
        assertEquals("0 started\n", c.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** The node-runner of these tests that is killed: reads its accounts from stdin, prints its node id. */
    static final class CrashingRunner {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            Credentials node = new Credentials(in.readLine(), in.readLine());
            Credentials exec = new Credentials(in.readLine(), in.readLine());
            NodeRunner runner = new NodeRunner(BrokerConnections.open(args[0], node, "crashing-node"),
                    settings(Path.of(args[1]), remote(args[0], exec, Path.of(args[2]))), Clock.systemUTC()).start();
            // As cadre node stops on SIGTERM.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    runner.close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
            System.out.println(runner.nodeId());
            System.out.flush();
            // Waits to be killed; should the test die first, its end of stdin closes and this ends too.
            while (in.read() >= 0) {
                continue;
            }
            Runtime.getRuntime().halt(1);
        }
    }
}
