package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static dev.cadre.node.RemoteCommandIntegrationTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exit status of a remote command that a node-runner killed with SIGKILL left running, and the next runner on
 * the node adopted, reaches the command's agent: the command's wrapper recorded it. Only a command whose status
 * really is unknown (its wrapper was killed too) is answered with exit 255 and "restarted while the command ran".
 * Each test runs with the node tracking processes by cgroup where it can (AUTO), and by session.
 */
class AdoptedCommandExitIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long JOB = 21;
    private static final String TOKEN = "7".repeat(64);
    @TempDir
    Path dir;
    /** The commands' files: their pids, and what they wait for. */
    private Path work;
    private InVmBroker broker;
    /** The runner to be killed, in a JVM of its own, until it is. */
    private Process crashing;
    private NodeRunner restarted;
    private final List<Long> commands = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        work = Files.createDirectory(dir.resolve("work"));
        broker = InVmBroker.start(dir.resolve("broker"));
    }

    @AfterEach
    void stop() throws Exception {
        Files.writeString(work.resolve("done"), ""); // ends the commands of a test that failed before
        // The runner restarted (if any) closes first, the broker last.
        try (InVmBroker b = broker; NodeRunner r = restarted) {
            if (crashing != null) {
                crashing.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            commands.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static NodeRunner.Settings settings(Path state, String brokerUrl, Credentials exec, Path work,
            ProcessTracking.Mode tracking) {
        return new NodeRunner.Settings(state, "host1", new NodeResources(2, 1024, 0, List.of("127.0.0.1")),
                Duration.ofSeconds(30), Duration.ofSeconds(1), "cadre", new RemoteExec(work.resolve("cadre-rsh"),
                        new ExecAccess(brokerUrl, exec.user(), exec.password())),
                new RuntimeDirectory(state, "the state directory"), tracking);
    }

    /** Starts the runner to be killed, in a JVM of its own, its accounts in its environment; returns its node id. */
    private String startCrashingRunner(ProcessTracking.Mode tracking) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingRunner.class.getName(),
                "tcp://127.0.0.1:" + broker.broker().corePort(), dir.resolve("state").toString(), work.toString(),
                tracking.name()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("NODE_ACCOUNT", broker.users().node().user() + ":" + broker.users().node().password());
        pb.environment().put("EXEC_ACCOUNT", broker.users().exec().user() + ":" + broker.users().exec().password());
        crashing = pb.start();
        String nodeId = new BufferedReader(new InputStreamReader(crashing.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertTrue(nodeId != null && nodeId.startsWith("host1-"), "the runner did not start: " + nodeId);
        return nodeId;
    }

    private void restart(ProcessTracking.Mode tracking) throws Exception {
        restarted = new NodeRunner(broker.node(), settings(dir.resolve("state"), EmbeddedBroker.IN_VM_URL,
                broker.users().exec(), work, tracking), Clock.systemUTC()).start();
    }

    /**
     * Places the job on the node, which holds it for a coordinator elsewhere, and runs the command there through an
     * agent that waits for its exit; returns the agent's outcome, once it comes. Returns once the agent has the
     * command's first output: the runner has taken the request for good (a runner killed before it acknowledged the
     * request would leave it to the next one, which would run it again).
     */
    private CompletableFuture<String> runWaiting(String nodeId, String command) throws Exception {
        return runWaiting(nodeId, "adopted", command);
    }

    /** @param name the request's id, with the job's, and its pid file's */
    private CompletableFuture<String> runWaiting(String nodeId, String name, String command) throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/sh\nsleep 300\n").build();
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId))).send(s.createTextMessage(
                    MessageCodec.encode(new NodeCommand.PlaceJob(JOB, 1, spec, new Allocation(List.of(
                            new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0, 0),
                            new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))), TOKEN))));
        }
        Path pid = work.resolve("pid-" + name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            try (Connection account = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                    "agent");
                 ExecClient client = new ExecClient(account)) {
                ExecClient.Outcome o = client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(
                        name + "-" + JOB, JOB, 1, TOKEN, "echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
                        + "; echo started; " + command)), new ExecClient.Output() {
                            @Override
                            public void stdout(byte[] data) {
                                synchronized (out) {
                                    out.writeBytes(data);
                                }
                            }

                            @Override
                            public void stderr(byte[] data) {
                                stdout(data);
                            }
                        }, () -> false);
                return o.exitCode() + (o.failure() == null ? "" : " " + o.failure());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("the agent to hear the command's output", WAIT, () -> {
            synchronized (out) {
                return out.size() > 0;
            }
        });
        awaitRequestTaken(nodeId);
        commands.add(Long.parseLong(Files.readString(pid).trim()));
        return outcome;
    }

    /**
     * Until the runner has answered a request sent after the command's (one with a wrong token, refused at once): it
     * handles its requests one after the other, so it has acknowledged the command's. A runner killed before that
     * would leave the request to the next one, which would run the command again.
     */
    private void awaitRequestTaken(String nodeId) throws Exception {
        try (Connection account = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(), "probe")) {
            Session s = account.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var probe = s.createTextMessage(MessageCodec.encode(new ExecMessage.ExecRequest("probe", JOB, 1,
                    "0".repeat(64), "true")));
            probe.setJMSReplyTo(s.createTemporaryQueue());
            var refusal = s.createConsumer(probe.getJMSReplyTo());
            s.createProducer(s.createQueue(Destinations.execQueue(nodeId))).send(probe);
            assertTrue(refusal.receive(WAIT.toMillis()) != null, "the runner did not answer a later request");
        }
    }

    private String untilDone(int exit) {
        return "while [ ! -f " + work.resolve("done") + " ]; do sleep 0.05; done; exit " + exit;
    }

    /** The agent's outcome of the command, which a runner started and was then killed under. */
    private record Crashed(String nodeId, CompletableFuture<String> outcome) {
    }

    private Crashed runThenCrash(ProcessTracking.Mode tracking, String command) throws Exception {
        String nodeId = startCrashingRunner(tracking);
        CompletableFuture<String> outcome = runWaiting(nodeId, command);
        crashing.destroyForcibly(); // kill -9
        assertTrue(crashing.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && crashing.exitValue() == 137,
                "the runner did not die of SIGKILL");
        crashing = null;
        return new Crashed(nodeId, outcome);
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theAgentGetsTheExitStatusOfACommandThatEndsUnderTheNextRunner(ProcessTracking.Mode tracking)
            throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        restart(tracking);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> outcome.get(
                UnknownRequests.UNKNOWN_FOR.toMillis() + 2000, TimeUnit.MILLISECONDS), "answered while it ran");
        assertTrue(running(commands.get(0)), "the adopted command runs on");
        Files.writeString(work.resolve("done"), "");
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theAgentGetsTheExitStatusOfACommandThatEndedWhileNoRunnerRan(ProcessTracking.Mode tracking)
            throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        Files.writeString(work.resolve("done"), "");
        await("the command's end", WAIT, () -> !running(commands.get(0)));
        restart(tracking);
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * The restarted runner's next command of the attempt does not take over the records of the one that ended while
     * no runner ran (as its cgroup's name, were that reused), so the ended command's agent is told its status while
     * the next one runs.
     */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void theNextCommandOfTheAttemptLeavesTheEndedOnesStatusAlone(ProcessTracking.Mode tracking) throws Exception {
        CompletableFuture<String> outcome = runThenCrash(tracking, untilDone(7)).outcome();
        Files.writeString(work.resolve("done"), "");
        await("the command's end", WAIT, () -> !running(commands.get(0)));
        Files.delete(work.resolve("done"));
        restart(tracking);
        CompletableFuture<String> next = runWaiting(restarted.nodeId(), "next", untilDone(42));
        assertEquals("7", outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(running(commands.get(1)), "answered while the next command runs");
        Files.writeString(work.resolve("done"), "");
        assertEquals("42", next.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /** Its wrapper killed with SIGKILL, nothing recorded the command's status: the agent hears that it is lost. */
    @ParameterizedTest
    @EnumSource(value = ProcessTracking.Mode.class, names = {"AUTO", "SESSION"})
    void aCommandWhoseStatusIsLostIsAnsweredSo(ProcessTracking.Mode tracking) throws Exception {
        Path wrapperGone = work.resolve("wrapper-gone");
        Crashed crashed = runThenCrash(tracking, "while [ ! -f " + work.resolve("kill-wrapper")
                + " ]; do sleep 0.05; done; kill -9 $PPID; touch " + wrapperGone + "; " + untilDone(7));
        Files.writeString(work.resolve("kill-wrapper"), "");
        await("the wrapper's kill", WAIT, () -> Files.exists(wrapperGone));
        restart(tracking);
        Files.writeString(work.resolve("done"), "");
        String answer = crashed.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(answer.startsWith("255 ") && answer.contains("the node-runner on " + crashed.nodeId()
                + " restarted while the command ran"), answer);
    }

    /**
     * The runner these tests kill: its accounts in its environment (USER:PASSWORD), prints its node id, runs until
     * killed, or until its stdin ends with the test.
     */
    static final class CrashingRunner {
        private static Credentials account(String variable) {
            String[] parts = System.getenv(variable).split(":", 2);
            return new Credentials(parts[0], parts[1]);
        }

        public static void main(String[] args) throws Exception {
            NodeRunner runner = new NodeRunner(BrokerConnections.open(args[0], account("NODE_ACCOUNT"),
                    "crashing-node"), settings(Path.of(args[1]), args[0], account("EXEC_ACCOUNT"), Path.of(args[2]),
                    ProcessTracking.Mode.valueOf(args[3])), Clock.systemUTC()).start();
            System.out.println(runner.nodeId());
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
            Runtime.getRuntime().halt(1);
        }
    }
}
