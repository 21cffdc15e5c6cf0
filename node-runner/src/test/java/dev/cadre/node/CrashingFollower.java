package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node that holds job {@link #JOB} for a coordinator elsewhere and runs its remote commands, as an agent there
 * asks, under a node-runner in a JVM of its own, which a test kills with SIGKILL and then starts again in its own
 * JVM on the same state directory. Closing it kills what is left: the runners, and the commands it started.
 */
final class CrashingFollower implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long JOB = 21;
    static final String TOKEN = "7".repeat(64);
    private final InVmBroker broker;
    private final Path dir;
    /** The commands' files: their pids, and what they wait for. */
    final Path work;
    private final ProcessTracking.Mode tracking;
    /** The runner to be killed, in a JVM of its own, until it is. */
    private Process crashing;
    private NodeRunner restarted;
    /** The pids of the commands started, in order. */
    final List<Long> commands = new ArrayList<>();
    /** What each command's agent got on its stdout and stderr (both in one), by the command's name. */
    private final Map<String, ByteArrayOutputStream> outputs = new ConcurrentHashMap<>();
    /** Their sessions, which their wrappers lead, to be killed whole at the close. */
    private final List<JobProcesses> sessions = new ArrayList<>();
    /** The pids of the commands' wrappers, in order. */
    final List<Long> wrappers = new ArrayList<>();
    /** The head's node timeout the job is placed with; null for none (a head before it). */
    private Long nodeTimeoutMillis;

    /** @param work the commands' working directory */
    CrashingFollower(InVmBroker broker, Path dir, Path work, ProcessTracking.Mode tracking) {
        this.broker = broker;
        this.dir = dir;
        this.work = work;
        this.tracking = tracking;
    }

    private static NodeRunner.Settings settings(Path state, String brokerUrl, Credentials exec, Path work,
            ProcessTracking.Mode tracking) {
        return new NodeRunner.Settings(state, "host1", new NodeResources(2, 1024, 0, List.of("127.0.0.1")),
                Duration.ofSeconds(30), Duration.ofSeconds(1), "cadre", new RemoteExec(work.resolve("cadre-rsh"),
                        new ExecAccess(brokerUrl, exec.user(), exec.password())),
                new RuntimeDirectory(state, "the state directory"), tracking);
    }

    /** Starts the runner to be killed, in a JVM of its own, its accounts in its environment; returns its node id. */
    String start() throws Exception {
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

    /** What {@code kill -9} of the runner does. */
    void crash() throws InterruptedException {
        crashing.destroyForcibly();
        assertTrue(crashing.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) && crashing.exitValue() == 137,
                "the runner did not die of SIGKILL");
        crashing = null;
    }

    /** The next runner on the node, in this JVM; closed with this. */
    NodeRunner restart() throws Exception {
        restarted = new NodeRunner(broker.node(), settings(dir.resolve("state"), EmbeddedBroker.IN_VM_URL,
                broker.users().exec(), work, tracking), Clock.systemUTC()).start();
        return restarted;
    }

    /** Sends the command to the node's queue, as the head does. */
    void send(String nodeId, NodeCommand command) throws Exception {
        try (Session s = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            s.createProducer(s.createQueue(Destinations.nodeQueue(nodeId)))
                    .send(s.createTextMessage(MessageCodec.encode(command)));
        }
    }

    /**
     * Places the job on the node, which holds it for a coordinator elsewhere, and runs the command there through an
     * agent that waits for its exit; returns the agent's outcome, once it comes. Returns once the agent has the
     * command's first output: the runner has taken the request for good (a runner killed before it acknowledged the
     * request would leave it to the next one, which would run it again).
     *
     * @param name the request's id, with the job's, and its pid file's
     */
    CompletableFuture<String> runWaiting(String nodeId, String name, String command) throws Exception {
        place(nodeId);
        Path pid = work.resolve("pid-" + name);
        CompletableFuture<String> outcome = run(nodeId, name, "echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
                + "; echo started; " + command);
        await("the agent to hear the command's output", WAIT, () -> !output(name).isEmpty());
        awaitRequestTaken(nodeId);
        long started = Long.parseLong(Files.readString(pid).trim());
        commands.add(started);
        String[] stat = ProcessGroups.statFields(Path.of("/proc", Long.toString(started)), 5);
        if (stat.length > 3) {
            sessions.add(new JobProcesses.Session(JobProcesses.Leader.identify(Long.parseLong(stat[3]))));
            wrappers.add(Long.parseLong(stat[3])); // the wrapper leads the command's session
        }
        return outcome;
    }

    /** Places the job with the head's node timeout from now on (none before). */
    CrashingFollower nodeTimeout(Duration timeout) {
        nodeTimeoutMillis = timeout.toMillis();
        return this;
    }

    /** Places the job on the node, which holds it for a coordinator elsewhere, as the head does. */
    void place(String nodeId) throws Exception {
        JobSpec spec = JobSpec.builder().name("mpi").user("alice").workDir(work.toString())
                .script("#!/bin/sh\nsleep 300\n").build();
        send(nodeId, new NodeCommand.PlaceJob(JOB, 1, spec, new Allocation(List.of(
                new Allocation.NodeSlots("host0-00000000", "host0", 1, 1, 0, 0),
                new Allocation.NodeSlots(nodeId, "host1", 1, 1, 0, 0))), TOKEN, null, null, nodeTimeoutMillis));
    }

    /**
     * Runs the command of the placed job on the node through an agent that waits for its exit; returns the agent's
     * outcome, once it comes, at once.
     *
     * @param name the request's id, with the job's
     */
    CompletableFuture<String> run(String nodeId, String name, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        outputs.put(name, out);
        return CompletableFuture.supplyAsync(() -> {
            try (Connection account = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, broker.users().exec(),
                    "agent");
                 ExecClient client = new ExecClient(account)) {
                ExecClient.Outcome o = client.run(new ExecTarget("host1", nodeId, new ExecMessage.ExecRequest(
                        name + "-" + JOB, JOB, 1, TOKEN, command)), new ExecClient.Output() {
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
    }

    /** What the agent of the command of this name got so far, stdout and stderr as they came. */
    String output(String name) {
        ByteArrayOutputStream out = outputs.get(name);
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Until the runner has answered a request sent after the command's (one with a wrong token, refused at once): it
     * handles its requests one after the other, so it has acknowledged the command's. A runner killed before that
     * would leave the request to the next one, which would run the command again.
     */
    void awaitRequestTaken(String nodeId) throws Exception {
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

    /** The restarted runner (if any) first, then the one to be killed, then what is left of the commands. */
    @Override
    public void close() throws Exception {
        try (NodeRunner r = restarted) {
            if (crashing != null) {
                crashing.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            // The whole session, which the command's wrapper leads: a test that failed may leave it stopped, and its
            // wrapper, an orphan of the killed runner, is no process of this JVM's. SIGKILL ends a stopped one too.
            sessions.forEach(s -> s.signal(ProcessGroups.Stop.KILL));
            commands.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
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
