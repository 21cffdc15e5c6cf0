package dev.cadre.node;

import dev.cadre.node.core.RelayRequestReader;
import dev.cadre.node.core.RelayWire;
import jakarta.jms.JMSException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
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
    private final AgentRuns runs;
    private final Semaphore agents = new Semaphore(MAX_AGENTS);
    /** Agents per job token, while their commands run. */
    private final Map<String, Integer> perJob = new ConcurrentHashMap<>();
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
        this.runs = new AgentRuns(client, failures, usage, () -> open);
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
        return runs.largestInputWindow();
    }

    /** The same, of the runs under way. */
    long liveInputWindow() {
        return runs.liveInputWindow();
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
                request = RelayRequestReader.read(in);
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
                runs.relay(agent, in, request, answers);
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

    /** Over the limit: answered at once, so a runaway job cannot exhaust the runner's threads. */
    private static void refuse(SocketChannel agent) {
        try (agent) {
            AgentAnswers.refuse(agent, "this node already relays " + MAX_AGENTS + " agents; try again later");
        } catch (IOException e) {
            LOG.debug("exec relay: could not refuse an agent: {}", e.toString());
        }
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
