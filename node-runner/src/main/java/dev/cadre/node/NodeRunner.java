package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's runner: consumes its own queue (place-job, kill-job) in a transacted session ({@link NodeCommands}), so
 * a command is acknowledged only after it took effect, reports runner events and heartbeats to the scheduler, and
 * answers reads of the output of the attempts it coordinated and of what running attempts used here.
 */
public final class NodeRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    /** How long a stop waits for the broker before it gives the runner's connections up. */
    static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

    /**
     * @param remoteExec the rsh agent and exec account jobs get; null runs jobs without them, and without an
     *        exec service on this node
     * @param runtime where the attempt directories are ({@link RuntimeDirectory#choose(Path, java.util.Optional)})
     * @param processTracking how the node tells a job's processes ({@code --process-tracking}, {@link
     *        ProcessTracking})
     * @param memoryChecks how often the memory of jobs with a memory request is measured
     *        ({@code --memory-check-interval})
     * @param cpuBinding whether each job is bound to the CPUs it was given ({@code --cpu-binding}, {@link CpuChoice})
     */
    public record Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
            Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime,
            ProcessTracking.Mode processTracking, Duration memoryChecks, CpuChoice.Mode cpuBinding) {
        /** Each job bound to the CPUs it was given, where the node can. */
        public Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
                Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime,
                ProcessTracking.Mode processTracking, Duration memoryChecks) {
            this(stateDir, hostname, resources, heartbeat, killGrace, clusterName, remoteExec, runtime,
                    processTracking, memoryChecks, CpuChoice.Mode.CORES);
        }

        /** Memory measured every second. */
        public Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
                Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime,
                ProcessTracking.Mode processTracking) {
            this(stateDir, hostname, resources, heartbeat, killGrace, clusterName, remoteExec, runtime,
                    processTracking, MemoryWatch.DEFAULT_INTERVAL);
        }

        /** Processes tracked by cgroup where the node can, else by session. */
        public Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
                Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime) {
            this(stateDir, hostname, resources, heartbeat, killGrace, clusterName, remoteExec, runtime,
                    ProcessTracking.Mode.AUTO);
        }

        /** Attempt directories in the state directory. */
        public Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
                Duration killGrace, String clusterName, RemoteExec remoteExec) {
            this(stateDir, hostname, resources, heartbeat, killGrace, clusterName, remoteExec,
                    new RuntimeDirectory(stateDir, "the state directory"));
        }
    }

    private final Connection connection;
    private final Settings settings;
    private final String nodeId;
    private final Clock clock;
    private final RunnerEventSender events;
    /** Orders the events: what is handed to the sender under it goes out in that order. */
    private final Object publishing = new Object();
    private final JobSupervisor supervisor;
    /** The node's side of remote exec; both null without it. */
    private final NodeExec remoteExec;
    private final ExecService exec;
    /** The node's cgroups; null where it tracks jobs' processes by session. */
    private final AttemptCgroups cgroups;
    private final OutputRecords outputs;
    private final OutputService outputReads;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-node-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final NodeCommands commands;
    /** What each heartbeat lists. */
    private final ListedAttempts listed;

    public NodeRunner(Connection connection, Settings settings, Clock clock) throws Exception {
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
        this.nodeId = NodeIdentity.loadOrCreate(settings.stateDir(), settings.hostname());
        this.events = new RunnerEventSender(connection, nodeId, clock);
        Session commandSession = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = commandSession.createConsumer(commandSession.createQueue(
                Destinations.nodeQueue(nodeId)));
        settings.runtime().prepare(settings.stateDir());
        this.cgroups = AttemptCgroups.choose(settings.processTracking(), settings.stateDir()).orElse(null);
        // A node that ran with cgroups and now tracks by session still kills what is left in them.
        AttemptCgroups former = cgroups != null ? null : AttemptCgroups.former(settings.stateDir()).orElse(null);
        var remote = settings.remoteExec();
        this.remoteExec = remote == null || remote.access() == null ? null : NodeExec.open(connection, nodeId,
                settings, cgroups, former, problem -> handOver(problem).exceptionally(e -> {
                    LOG.error("could not report {}", problem, e);
                    return null;
                }));
        this.exec = remoteExec == null ? null : remoteExec.service();
        LOG.info("attempt directories in {} ({})", settings.runtime().jobs(), settings.runtime().reason());
        this.supervisor = new JobSupervisor(settings.stateDir(), settings.runtime().jobs(), nodeId,
                settings.killGrace(), settings.clusterName(), new AttemptEvents() {
                    @Override
                    public void send(RunnerEvent event) throws JMSException {
                        publish(event);
                    }

                    @Override
                    public CompletableFuture<Void> sendInBackground(RunnerEvent event) {
                        return handOver(event);
                    }
                }, clock, remote, remoteExec == null ? null : remoteExec.relay(),
                JobLauncher.Setup.DEFAULT, cgroups, settings.memoryChecks(),
                BoundCpus.choose(settings.cpuBinding(), settings.resources().cores(), nodeId));
        supervisor.searchFormerCgroups(former);
        supervisor.bindGpus(new BoundGpus(settings.resources().gpuIndexes(), nodeId));
        if (remoteExec != null) {
            supervisor.joinRemoteExec(exec.sessions(), remoteExec.failures());
            exec.bind(supervisor.shares());
        }
        this.listed = new ListedAttempts(supervisor::running, exec == null ? List::of : exec::heldElsewhereCoordinated,
                supervisor.shares());
        this.outputs = new OutputRecords(settings.stateDir(), clock);
        UsageReadings.Held held = exec == null ? (job, attempt) -> false : exec::holds;
        this.outputReads = new OutputService(connection, nodeId, outputs, supervisor::running,
                new UsageReadings(nodeId, supervisor::find, exec == null ? null : exec.sessions(), held, clock), clock);
        this.commands = new NodeCommands(commandSession, consumer, nodeId, clock, supervisor, exec, outputs,
                new EndedAttempts(settings.stateDir(), clock), this::handOver, this::commandsStopped);
    }

    public NodeRunner start() throws Exception {
        // Before any command is taken: the commands of an adopted job (srun, mpirun) may run here from now on, and
        // what the last runner's remote commands left is killed once it is known which attempts are still held.
        if (exec != null) {
            exec.restore();
        }
        supervisor.adoptLeftovers(exec == null ? place -> { } : exec::hold);
        if (exec != null) {
            exec.killLeftoversOfUnheld();
            exec.start();
        }
        heartbeat();
        heartbeats.scheduleAtFixedRate(this::heartbeat, settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        commands.start();
        LOG.info("node-runner {} ({}) started: {} cores, {} MB, {} GPUs", nodeId, settings.hostname(),
                settings.resources().cores(), settings.resources().memoryMb(), settings.resources().gpus());
        return this;
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Sends an event durably. The command thread does not wait for each: its events are awaited together before
     * its transaction commits, so that a burst of launches shares messages; a failure rolls the commands back.
     * Every other caller returns once the event is sent. A job's end does not come this way but through
     * {@link #handOver}, and forgets its attempt once its event is sent.
     */
    private void publish(RunnerEvent event) throws JMSException {
        CompletableFuture<Void> sent = handOver(event);
        if (!commands.deferred(sent)) {
            await(sent);
        }
    }

    /** Queues the event for the sender, behind every event handed over before it. */
    private CompletableFuture<Void> handOver(RunnerEvent event) {
        if (exec != null && event instanceof RunnerEvent.RunnerFinished f) {
            exec.release(f.jobId(), f.attempt());
        } else if (exec != null && event instanceof RunnerEvent.RunnerFailed f) {
            exec.release(f.jobId(), f.attempt());
        }
        synchronized (publishing) {
            return events.send(event);
        }
    }

    static void await(CompletableFuture<Void> sent) throws JMSException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof JMSException j ? j : new JMSException(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while sending a runner event");
        }
    }

    private void heartbeat() {
        NodeResources r = settings.resources();
        try {
            // The list is taken under the publishing lock: a runner-running sent just before it must not be
            // overtaken by a heartbeat that predates it, or the scheduler would think the job vanished.
            CompletableFuture<Void> sent;
            synchronized (publishing) {
                ListedAttempts.Listed held = listed.now();
                sent = events.send(new RunnerEvent.NodeHeartbeat(nodeId, settings.hostname(), r.addresses(),
                        r.cores(), r.memoryMb(), r.gpus(), held.running(), clock.instant(), held.cpus(),
                        r.gpuIndexes().byType()));
            }
            await(sent);
        } catch (JMSException | RuntimeException e) {
            LOG.warn("heartbeat not sent: {}", e.toString());
        }
    }

    /**
     * The command thread died of what no command should cause, such as an OutOfMemoryError: nobody takes this
     * node's commands any more. Its heartbeats stop too, so that the head marks the node DOWN after its node
     * timeout and sends no more work here, as for a node-runner that died. The process is left running, since
     * {@code cadre up} runs the head in it too; the jobs running here go on and their ends are still reported.
     */
    private void commandsStopped(Throwable cause) {
        heartbeats.shutdownNow();
        LOG.error("node {}: its command thread died, so it takes no more commands; its heartbeats stop, and the head"
                + " will mark it down. Restart the node-runner.", nodeId, cause);
    }

    /**
     * Stops the runner, leaving its jobs and remote commands running for the next start to adopt. A broker that is
     * away holds each session's and consumer's close (30 s a call, over and over while the connection reconnects for
     * ever), so past {@link #CLOSE_LIMIT} the runner's connections are given up under it, which releases those
     * closes: only the goodbyes to the broker are lost, and an end not sent by then is reported by the next start.
     */
    @Override
    public void close() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Thread deadline = new Thread(() -> {
            try {
                if (!closed.await(CLOSE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("node {}: the broker did not answer the stop within {} s; its connections are given"
                            + " up", nodeId, CLOSE_LIMIT.toSeconds());
                    BrokerConnections.abandon(connection);
                    if (remoteExec != null) {
                        remoteExec.abandon();
                    }
                    events.giveUp();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cadre-node-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
        try {
            stop();
        } finally {
            closed.countDown();
        }
    }

    /** For tests: how many runner events handed over are not sent yet. */
    int unsentEvents() {
        return events.unsent();
    }

    private void stop() throws Exception {
        heartbeats.shutdownNow();
        commands.stop();
        outputReads.close();
        outputs.close();
        supervisor.close();
        if (remoteExec != null) {
            remoteExec.close();
        }
        if (cgroups != null) {
            cgroups.removeEmpty(supervisor::leavesForNextStart,
                    remoteExec == null ? command -> false : remoteExec::leavesForNextStart);
        }
        settings.runtime().removeIfEmpty(settings.stateDir());
        commands.close();
        events.close();
    }
}
