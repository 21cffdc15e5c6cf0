package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.node.core.ProcessTracking;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's runner: consumes its own queue (place-job, kill-job) in a transacted session, so a command is
 * acknowledged only after it took effect, reports runner events and heartbeats to the scheduler, and answers
 * reads of the output of the attempts it coordinated.
 */
public final class NodeRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRunner.class);
    /** The most place-jobs one transaction takes (a place-jobs message counts each of its placements). */
    private static final int BATCH = 64;
    /** What {@link #handle} returns for a command after which the transaction must commit. */
    private static final int ENDS_BATCH = -1;

    /**
     * @param remoteExec the rsh agent and exec account jobs get; null runs jobs without them, and without an
     *        exec service on this node
     * @param runtime where the attempt directories are ({@link RuntimeDirectory#choose(Path, java.util.Optional)})
     * @param processTracking how the node tells a job's processes ({@code --process-tracking}, {@link
     *        ProcessTracking})
     */
    public record Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
            Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime,
            ProcessTracking.Mode processTracking) {
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
    /** Sends of events raised by the command thread's open transaction, awaited before it commits. */
    private final List<CompletableFuture<Void>> deferred = new ArrayList<>();
    private final Session commandSession;
    private final MessageConsumer commands;
    private final JobSupervisor supervisor;
    private final ExecService exec;
    private final Connection execConnection;
    private final ExecRelay relay;
    /** The node's cgroups; null where it tracks jobs' processes by session. */
    private final AttemptCgroups cgroups;
    private final OutputRecords outputs;
    private final OutputService outputReads;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-node-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Thread commandThread;
    private volatile boolean running = true;

    public NodeRunner(Connection connection, Settings settings, Clock clock) throws Exception {
        this.connection = connection;
        this.settings = settings;
        this.clock = clock;
        this.nodeId = NodeIdentity.loadOrCreate(settings.stateDir(), settings.hostname());
        this.events = new RunnerEventSender(connection, nodeId, clock);
        this.commandSession = connection.createSession(true, Session.SESSION_TRANSACTED);
        this.commands = commandSession.createConsumer(commandSession.createQueue(Destinations.nodeQueue(nodeId)));
        settings.runtime().prepare(settings.stateDir());
        this.cgroups = AttemptCgroups.choose(settings.processTracking(), settings.stateDir()).orElse(null);
        // A node that ran with cgroups and now tracks by session still kills what is left in them.
        AttemptCgroups former = cgroups != null ? null : AttemptCgroups.former(settings.stateDir()).orElse(null);
        var remote = settings.remoteExec();
        if (remote != null && remote.access() != null) {
            // The relay's own connection, as the exec account: the node account may not send to other nodes.
            this.execConnection = BrokerConnections.open(remote.access().brokerUrl(), new Credentials(
                    remote.access().user(), remote.access().password()), "exec-relay " + nodeId);
            ExecRecords records = new ExecRecords(settings.runtime().exec());
            HeldAttempts held = new HeldAttempts(nodeId, records);
            this.relay = ExecRelay.start(settings.stateDir(), new ExecClient(execConnection), new AgentFailures(held));
            this.exec = new ExecService(connection, nodeId, relay.socket(), held, records, cgroups,
                    former, problem -> handOver(problem).exceptionally(e -> {
                        LOG.error("could not report {}", problem, e);
                        return null;
                    }));
        } else {
            this.execConnection = null;
            this.relay = null;
            this.exec = null;
        }
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
                }, clock, remote, relay,
                JobLauncher.Setup.DEFAULT, cgroups);
        supervisor.searchFormerCgroups(former);
        this.outputs = new OutputRecords(settings.stateDir(), clock);
        this.outputReads = new OutputService(connection, nodeId, outputs, supervisor::running, clock);
        this.commandThread = new Thread(this::consume, "cadre-node-commands");
        commandThread.setUncaughtExceptionHandler((thread, cause) -> commandsStopped(cause));
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
        }
        heartbeat();
        heartbeats.scheduleAtFixedRate(this::heartbeat, settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        commandThread.start();
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
        if (Thread.currentThread() == commandThread) {
            deferred.add(sent);
        } else {
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

    private static void await(CompletableFuture<Void> sent) throws JMSException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof JMSException j ? j : new JMSException(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while sending a runner event");
        }
    }

    private void awaitDeferred() throws JMSException {
        try {
            for (CompletableFuture<Void> sent : deferred) {
                await(sent);
            }
        } finally {
            deferred.clear();
        }
    }

    private void heartbeat() {
        NodeResources r = settings.resources();
        try {
            // The list is taken under the publishing lock: a runner-running sent just before it must not be
            // overtaken by a heartbeat that predates it, or the scheduler would think the job vanished.
            CompletableFuture<Void> sent;
            synchronized (publishing) {
                Set<RunnerEvent.RunningAttempt> held = new LinkedHashSet<>(supervisor.running());
                if (exec != null) {
                    held.addAll(exec.heldElsewhereCoordinated());
                }
                sent = events.send(new RunnerEvent.NodeHeartbeat(nodeId, settings.hostname(), r.addresses(),
                        r.cores(), r.memoryMb(), r.gpus(), List.copyOf(held), clock.instant()));
            }
            await(sent);
        } catch (JMSException | RuntimeException e) {
            LOG.warn("heartbeat not sent: {}", e.toString());
        }
    }

    /**
     * Takes commands in transactions of up to {@link #BATCH} place-jobs: a burst of them is acknowledged by one
     * commit (one journal write) instead of one each, and their runner-running events share messages. Redelivering
     * a batch after a failure repeats only place-jobs, which run nothing twice; any other command (a signal must not
     * be sent twice) ends its batch.
     */
    private void consume() {
        while (running) {
            try {
                Message m = commands.receive(200);
                if (m == null) {
                    continue;
                }
                try {
                    int taken = 0;
                    while (m != null) {
                        int placed = handle(m);
                        taken += Math.max(placed, 1);
                        m = placed == ENDS_BATCH || taken >= BATCH ? null : commands.receiveNoWait();
                    }
                    awaitDeferred();
                    commandSession.commit();
                } catch (Exception e) {
                    LOG.error("command failed; it will be redelivered", e);
                    deferred.clear();
                    commandSession.rollback();
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("command consumer error: {}", e.toString());
                }
            }
        }
    }

    /**
     * The command thread died of what no command should cause, such as an OutOfMemoryError: nobody takes this
     * node's commands any more. Its heartbeats stop too, so that the head marks the node DOWN after its node
     * timeout and sends no more work here, as for a node-runner that died. The process is left running, since
     * {@code cadre up} runs the head in it too; the jobs running here go on and their ends are still reported.
     */
    private void commandsStopped(Throwable cause) {
        running = false;
        heartbeats.shutdownNow();
        LOG.error("node {}: its command thread died, so it takes no more commands; its heartbeats stop, and the head"
                + " will mark it down. Restart the node-runner.", nodeId, cause);
    }

    /**
     * @return how many place-jobs the command held (0 for one unreadable and dropped), or {@link #ENDS_BATCH}
     */
    private int handle(Message m) throws Exception {
        NodeCommand command;
        try {
            if (!(m instanceof TextMessage t)) {
                throw new ProtocolException(RejectionCode.WRONG_BODY, "node commands must be text messages");
            }
            command = MessageCodec.decode(t.getText(), NodeCommand.class);
        } catch (ProtocolException e) {
            LOG.warn("dropping unreadable node command: {}", e.getMessage());
            return 0;
        }
        if (command instanceof NodeCommand.PlaceJob place) {
            place(List.of(place));
            return 1;
        } else if (command instanceof NodeCommand.PlaceJobs places) {
            place(places.placements());
            return places.placements().size();
        } else if (command instanceof NodeCommand.SignalAttempt signal) {
            supervisor.signal(signal);
        } else {
            kill((NodeCommand.KillJob) command);
        }
        return ENDS_BATCH;
    }

    /**
     * Stops what the attempt runs here. The scheduler keeps the attempt's slots here taken until told that nothing
     * of it runs: by the attempt's runner-finished where this node runs it, else by a runner-released once its
     * remote commands are gone. Should that be lost, the next heartbeat, no longer listing it, tells the same.
     */
    private void kill(NodeCommand.KillJob kill) {
        boolean endReports = supervisor.runs(kill.jobId(), kill.attempt());
        CompletableFuture<Void> gone = exec != null ? exec.release(kill.jobId(), kill.attempt())
                : CompletableFuture.completedFuture(null);
        supervisor.kill(kill);
        if (!endReports) {
            gone.thenRun(() -> handOver(new RunnerEvent.RunnerReleased(kill.jobId(), kill.attempt(), nodeId,
                    clock.instant())).whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("job {} attempt {}: runner-released not sent ({}); the next heartbeat says it",
                                    kill.jobId(), kill.attempt(), e.toString());
                        }
                    }));
        }
    }

    /**
     * Every node of an allocation gets the place-job; only the coordinator records where the output goes and
     * starts the script. The records go first, in one transaction for the whole burst.
     */
    private void place(List<NodeCommand.PlaceJob> places) throws Exception {
        outputs.rememberAll(places.stream().filter(this::coordinates).toList());
        for (NodeCommand.PlaceJob place : places) {
            if (exec != null) {
                exec.hold(place);
            }
            if (coordinates(place)) {
                supervisor.launch(place);
            }
        }
    }

    private boolean coordinates(NodeCommand.PlaceJob place) {
        return place.allocation().coordinator().nodeId().equals(nodeId);
    }

    @Override
    public void close() throws Exception {
        running = false;
        heartbeats.shutdownNow();
        commandThread.join(5_000);
        outputReads.close();
        outputs.close();
        supervisor.close();
        if (exec != null) {
            exec.close();
            relay.close();
            execConnection.close();
        }
        if (cgroups != null) {
            cgroups.removeEmpty();
        }
        settings.runtime().removeIfEmpty(settings.stateDir());
        // A broker that is away would hold each of the session's calls for 30 s.
        SessionClose.within(commandSession, "node command", Duration.ofSeconds(2));
        events.close();
    }
}
