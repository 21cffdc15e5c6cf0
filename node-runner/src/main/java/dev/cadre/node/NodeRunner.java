package dev.cadre.node;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.Credentials;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    /** The most commands one transaction takes. */
    private static final int BATCH = 64;

    /**
     * @param remoteExec the rsh agent and exec account jobs get; null runs jobs without them, and without an
     *        exec service on this node
     * @param runtime where the attempt directories are ({@link RuntimeDirectory#choose(Path, java.util.Optional)})
     */
    public record Settings(Path stateDir, String hostname, NodeResources resources, Duration heartbeat,
            Duration killGrace, String clusterName, RemoteExec remoteExec, RuntimeDirectory runtime) {
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
    private final Session publishSession;
    private final MessageProducer publisher;
    private final Session commandSession;
    private final MessageConsumer commands;
    private final JobSupervisor supervisor;
    private final ExecService exec;
    private final Connection execConnection;
    private final ExecRelay relay;
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
        this.publishSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.publisher = publishSession.createProducer(publishSession.createQueue(Destinations.RUNNER_EVENTS));
        publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.commandSession = connection.createSession(true, Session.SESSION_TRANSACTED);
        this.commands = commandSession.createConsumer(commandSession.createQueue(Destinations.nodeQueue(nodeId)));
        var remote = settings.remoteExec();
        if (remote != null && remote.access() != null) {
            // The relay's own connection, as the exec account: the node account may not send to other nodes.
            this.execConnection = BrokerConnections.open(remote.access().brokerUrl(), new Credentials(
                    remote.access().user(), remote.access().password()), "exec-relay " + nodeId);
            this.relay = ExecRelay.start(settings.stateDir(), new ExecClient(execConnection));
            this.exec = new ExecService(connection, nodeId, relay.socket());
        } else {
            this.execConnection = null;
            this.relay = null;
            this.exec = null;
        }
        settings.runtime().prepare(settings.stateDir());
        LOG.info("attempt directories in {} ({})", settings.runtime().jobs(), settings.runtime().reason());
        this.supervisor = new JobSupervisor(settings.stateDir(), settings.runtime().jobs(), nodeId,
                settings.killGrace(), settings.clusterName(), this::publish, clock, remote, relay,
                JobLauncher.Setup.DEFAULT);
        this.outputs = new OutputRecords(settings.stateDir());
        this.outputReads = new OutputService(connection, nodeId, outputs, supervisor::running, clock);
        this.commandThread = new Thread(this::consume, "cadre-node-commands");
    }

    public NodeRunner start() throws Exception {
        supervisor.adoptLeftovers();
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

    private void publish(RunnerEvent event) throws JMSException {
        if (exec != null && event instanceof RunnerEvent.RunnerFinished f) {
            exec.release(f.jobId(), f.attempt());
        } else if (exec != null && event instanceof RunnerEvent.RunnerFailed f) {
            exec.release(f.jobId(), f.attempt());
        }
        synchronized (publishSession) {
            TextMessage m = publishSession.createTextMessage(MessageCodec.encode(event));
            m.setStringProperty("type", MessageCodec.typeName(event));
            m.setStringProperty("nodeId", nodeId);
            publisher.send(m);
        }
    }

    private void heartbeat() {
        NodeResources r = settings.resources();
        try {
            // The list is taken under the publishing lock: a runner-running sent just before it must not be
            // overtaken by a heartbeat that predates it, or the scheduler would think the job vanished.
            synchronized (publishSession) {
                List<RunnerEvent.RunningAttempt> held = new ArrayList<>(supervisor.running());
                if (exec != null) {
                    held.addAll(exec.heldElsewhereCoordinated());
                }
                publish(new RunnerEvent.NodeHeartbeat(nodeId, settings.hostname(), r.addresses(), r.cores(),
                        r.memoryMb(), r.gpus(), held, clock.instant()));
            }
        } catch (JMSException | RuntimeException e) {
            LOG.warn("heartbeat not sent: {}", e.toString());
        }
    }

    /**
     * Takes commands in transactions of up to {@link #BATCH}: a burst of place-jobs is acknowledged by one commit
     * (one journal write) instead of one each. Redelivering a batch after a failure repeats only place-jobs, which
     * run nothing twice; any other command (a signal must not be sent twice) ends its batch.
     */
    private void consume() {
        while (running) {
            try {
                Message m = commands.receive(200);
                if (m == null) {
                    continue;
                }
                try {
                    for (int taken = 1; handle(m) && taken < BATCH; taken++) {
                        m = commands.receiveNoWait();
                        if (m == null) {
                            break;
                        }
                    }
                    commandSession.commit();
                } catch (Exception e) {
                    LOG.error("command failed; it will be redelivered", e);
                    commandSession.rollback();
                }
            } catch (JMSException e) {
                if (running) {
                    LOG.warn("command consumer error: {}", e.toString());
                }
            }
        }
    }

    /** @return whether the batch may go on: the command was a place-job, or unreadable and dropped */
    private boolean handle(Message m) throws Exception {
        NodeCommand command;
        try {
            if (!(m instanceof TextMessage t)) {
                throw new ProtocolException(RejectionCode.WRONG_BODY, "node commands must be text messages");
            }
            command = MessageCodec.decode(t.getText(), NodeCommand.class);
        } catch (ProtocolException e) {
            LOG.warn("dropping unreadable node command: {}", e.getMessage());
            return true;
        }
        if (command instanceof NodeCommand.PlaceJob place) {
            if (exec != null) {
                exec.hold(place);
            }
            // Every node of the allocation gets the place-job; only the coordinator starts the script.
            if (place.allocation().coordinator().nodeId().equals(nodeId)) {
                outputs.remember(place);
                supervisor.launch(place);
            }
            return true;
        } else if (command instanceof NodeCommand.SignalAttempt signal) {
            supervisor.signal(signal);
        } else {
            NodeCommand.KillJob kill = (NodeCommand.KillJob) command;
            if (exec != null) {
                exec.release(kill.jobId(), kill.attempt());
            }
            supervisor.kill(kill);
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        running = false;
        heartbeats.shutdownNow();
        commandThread.join(5_000);
        outputReads.close();
        supervisor.close();
        settings.runtime().removeIfEmpty(settings.stateDir());
        if (exec != null) {
            exec.close();
            relay.close();
            execConnection.close();
        }
        commandSession.close();
        publishSession.close();
    }
}
