package dev.cadre.node;

import dev.cadre.node.core.ExecTarget;
import dev.cadre.node.core.InputWindow;
import dev.cadre.node.core.RelayWire;
import dev.cadre.node.core.RshCommandLine;
import dev.cadre.node.core.RunResume;
import dev.cadre.protocol.ExecMessage;
import jakarta.jms.JMSException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's end of {@code cadre-rsh}: a Unix socket where a job's agent hands over its command line, relayed
 * to the target node over the broker by the runner's long-lived connection. The agent is then a short script
 * rather than a JVM that connects to the broker itself, which kept each MPI daemon launch over half a second
 * (docs/benchmarks.md), and jobs never hold broker credentials.
 */
final class ExecRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecRelay.class);
    /** Each agent holds two threads while its command runs; MPI needs one per other host (fewer with trees). */
    static final int MAX_AGENTS = 2_000;
    /** One job's share: a job cannot take every slot and stop the MPI launches of the node's other jobs. */
    static final int MAX_AGENTS_PER_JOB = MAX_AGENTS / 2;
    /**
     * How long an agent has to hand over its request, which it writes at once: an idle connection otherwise held a
     * slot for as long as it stayed open, and 2,000 of them stopped every MPI launch on the node.
     */
    static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

    private final Path socket;
    /** The temporary directory made for the socket, removed with it; null when it is in the state directory. */
    private final Path privateDir;
    private final ServerSocketChannel server;
    private final ExecClient client;
    private final AgentFailures failures;
    /** Where the usage its agents' commands' exits tell goes. */
    private final AgentUsage usage;
    private final RunResumption resumption;
    private final Semaphore agents = new Semaphore(MAX_AGENTS);
    /** Agents per job token, while their commands run. */
    private final Map<String, Integer> perJob = new ConcurrentHashMap<>();
    /** The most input any one run had unacknowledged at once: within {@link InputWindow#SIZE}. */
    private final AtomicLong largestWindow = new AtomicLong();
    /** The input of the runs under way. */
    private final Set<RelayInput> inputs = ConcurrentHashMap.newKeySet();
    /** Closes the connections of agents that are late with their requests. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-exec-relay-deadlines");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private volatile boolean open = true;

    private ExecRelay(Path socket, Path privateDir, ServerSocketChannel server, ExecClient client,
            AgentFailures failures) {
        this.socket = socket;
        this.failures = failures;
        this.usage = new AgentUsage(failures);
        this.privateDir = privateDir;
        this.server = server;
        this.client = client;
        this.resumption = new RunResumption(client, failures, Clock.systemUTC());
        this.acceptor = new Thread(this::accept, "cadre-exec-relay");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code exec.sock} in the state directory, or in a private directory named after it if that path is
     * long ({@link RelaySocketPath}).
     *
     * @param failures where its agents' failures are kept for their attempts' ends
     */
    static ExecRelay start(Path stateDir, ExecClient client, AgentFailures failures) throws IOException {
        RelaySocketPath path = RelaySocketPath.of(stateDir, Path.of(System.getProperty("java.io.tmpdir")));
        Path socket = path.socket();
        // A runner killed with SIGKILL leaves its socket file, which would make the bind fail.
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        // Jobs run as the runner's user; the token in each request is what the target node checks.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        ExecRelay relay = new ExecRelay(socket, path.privateDir(), server, client, failures);
        relay.acceptor.start();
        return relay;
    }

    Path socket() {
        return socket;
    }

    /** Its agents' runs and the usage their commands' exits tell, for the attempts whose scripts this node runs. */
    AgentUsage usage() {
        return usage;
    }

    /** The most input one run of this relay had unacknowledged at once (for tests: never over the window). */
    long largestInputWindow() {
        return Math.max(largestWindow.get(), liveInputWindow());
    }

    /** The same, of the runs under way. */
    long liveInputWindow() {
        return inputs.stream().mapToLong(RelayInput::peak).max().orElse(0);
    }

    /** The last failure of an agent of the attempt on this node, forgotten once taken; null when none. */
    String takeFailure(long jobId, int attempt) {
        return failures.take(jobId, attempt);
    }

    private void accept() {
        while (open) {
            try {
                SocketChannel agent = server.accept();
                if (!agents.tryAcquire()) {
                    refuse(agent);
                    continue;
                }
                Thread t = new Thread(() -> {
                    try {
                        serve(agent);
                    } finally {
                        agents.release();
                    }
                }, "cadre-exec-agent");
                t.setDaemon(true);
                t.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (open) {
                    LOG.warn("exec relay: accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(SocketChannel agent) {
        try (agent) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(agent));
            AgentAnswers answers = new AgentAnswers(agent);
            RelayWire.Request request;
            ScheduledFuture<?> late = deadlines.schedule(() -> closeLate(agent), REQUEST_DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                request = RelayWire.readRequest(in);
            } catch (RelayWire.BadRequest e) {
                answers.refuse(e.getMessage());
                return;
            } finally {
                late.cancel(false);
            }
            // By token, which no job knows of another: a job naming another's id cannot use up that one's share.
            String job = request.token() == null ? "" : request.token();
            if (perJob.merge(job, 1, Integer::sum) > MAX_AGENTS_PER_JOB) {
                release(job);
                answers.refuse("job " + request.jobId() + " already has " + MAX_AGENTS_PER_JOB + " agents on this"
                        + " node; try again later");
                return;
            }
            String waiting = usage.started(request.jobId(), request.attempt(), request.token());
            try {
                relay(agent, in, request, answers);
            } finally {
                usage.ended(waiting);
                release(job);
            }
        } catch (IOException e) {
            // The agent went away mid-answer (mpirun killed it); its command is killed once keepalives stop.
            LOG.debug("exec relay: agent connection lost: {}", e.toString());
        }
    }

    private void release(String job) {
        perJob.computeIfPresent(job, (k, n) -> n == 1 ? null : n - 1);
    }

    private static void closeLate(SocketChannel agent) {
        try {
            LOG.warn("exec relay: an agent sent no request within {} s; closing its connection",
                    REQUEST_DEADLINE.toSeconds());
            agent.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private void relay(SocketChannel agent, InputStream in, RelayWire.Request request, AgentAnswers output)
            throws IOException {
        ExecClient.Outcome outcome;
        String host = hostOf(request);
        // A resuming agent sends no input (protocol.md 13.9), whatever it announces.
        RelayInput input = request.sendsInput() && !request.resuming() ? RelayInput.start(in, output) : null;
        if (input != null) {
            inputs.add(input);
        }
        try {
            AtomicBoolean gone = input != null ? input.gone() : watchForHangUp(agent);
            Consumer<ExecMessage.ExecExit> killed = k -> {
                try {
                    failures.noteKilledForMemory(request.jobId(), request.attempt(), request.token(),
                            "cadre rsh: " + host + ": " + k.error(), k.error());
                } catch (IllegalArgumentException e) {
                    LOG.warn("exec relay: {}", e.getMessage());
                }
            };
            try {
                if (request.resuming()) {
                    outcome = resumption.follow(request, output, gone::get, killed);
                } else {
                    ExecTarget target = ExecTarget.resolve(request, UUID.randomUUID().toString());
                    if (request.resumable()) {
                        target = RunResume.newRun(target, UUID.randomUUID());
                        // Before the request leaves: a run the agent cannot name could not be resumed.
                        output.run(target.request().requestId());
                    }
                    outcome = run(target, output, gone, killed, input);
                }
            } catch (JMSException e) {
                outcome = open ? ExecClient.fail(output, "cannot reach " + host + " through the broker: "
                        + e.getMessage()) : ExecClient.STOPPED;
            }
        } catch (ExecTarget.Unresolvable e) {
            outcome = ExecClient.fail(output, e.getMessage());
        } finally {
            if (input != null) {
                input.end();
                largestWindow.accumulateAndGet(input.peak(), Math::max);
                inputs.remove(input);
            }
        }
        if (outcome == ExecClient.STOPPED || !open) {
            // Hung up on, unanswered: the agent resumes the run with the next runner (protocol.md 13.9).
            return;
        }
        // Counted before the agent hears the exit, so before its job can end: a script that waits for its agents (as
        // mpirun does for its daemons') ends with their commands' usage in its attempt's.
        usage.note(request.jobId(), request.attempt(), request.token(), outcome.usage());
        if (outcome.failure() != null) {
            try {
                failures.note(request.jobId(), request.attempt(), request.token(), "cadre rsh: " + outcome.failure());
            } catch (IllegalArgumentException e) {
                LOG.warn("exec relay: {}", e.getMessage());
            }
        }
        output.exit(outcome.exitCode());
    }

    /** Follows a new run; its agent's input, if it sends any and the command takes it, goes along. */
    private ExecClient.Outcome run(ExecTarget target, AgentAnswers output, AtomicBoolean gone,
            Consumer<ExecMessage.ExecExit> killed, RelayInput input) throws JMSException, IOException {
        if (input == null || !target.request().takesInput()) {
            if (input != null) {
                input.stop(); // ssh -n: the agent keeps its input
            }
            return client.run(target, output, gone::get, killed);
        }
        input.bind(target.host(), target.request().requestId(), RelayInput.Sender.open(client.connection(),
                target.nodeId()));
        return client.run(target, output, gone::get, killed, input);
    }

    /** The host the agent names, for messages. */
    private static String hostOf(RelayWire.Request request) {
        try {
            return RshCommandLine.parse(request.args()).host();
        } catch (RshCommandLine.BadCommandLine e) {
            return "its host";
        }
    }

    /** Over the limit: answered at once, so a runaway job cannot exhaust the runner's threads. */
    private static void refuse(SocketChannel agent) {
        try (agent) {
            AgentAnswers.refuse(agent, "this node already relays " + MAX_AGENTS + " agents; try again later");
        } catch (IOException e) {
            LOG.debug("exec relay: could not refuse an agent: {}", e.toString());
        }
    }

    /** An agent without input sends nothing after its request: a read returning means it hung up or died. */
    private static AtomicBoolean watchForHangUp(SocketChannel agent) {
        AtomicBoolean gone = new AtomicBoolean();
        Thread t = new Thread(() -> {
            ByteBuffer ignored = ByteBuffer.allocate(256);
            try {
                while (agent.read(ignored) >= 0) {
                    // Bytes after the request mean nothing; only the end of the stream does.
                    ignored.clear();
                }
            } catch (IOException e) {
                // Closed by serve() once the answer is complete, or reset by the agent's death: both end it.
            }
            gone.set(true);
        }, "cadre-exec-agent-watch");
        t.setDaemon(true);
        t.start();
        return gone;
    }

    /**
     * Stops taking agents and hangs up on those it relays, unanswered, without releasing their runs: the nodes keep
     * the commands running, and each agent resumes its run with the next runner on this socket.
     */
    @Override
    public void close() throws IOException, JMSException {
        open = false;
        client.close();
        deadlines.shutdownNow();
        server.close();
        Files.deleteIfExists(socket);
        if (privateDir != null) {
            Files.deleteIfExists(privateDir);
        }
    }
}
