package dev.cadre.node;

import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.time.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's command thread ({@link NodeRunner}): takes the commands of the node's queue (place-job, place-jobs,
 * signal-attempt, set-time-limit, query-attempt, kill-job) in a transacted session, so a command is acknowledged only after it
 * took effect.
 */
final class NodeCommands {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCommands.class);
    /** The most place-jobs one transaction takes (a place-jobs message counts each of its placements). */
    private static final int BATCH = 64;
    /** What {@link #handle} returns for a command after which the transaction must commit. */
    private static final int ENDS_BATCH = -1;

    private final Session session;
    private final MessageConsumer commands;
    private final String nodeId;
    private final Clock clock;
    private final JobSupervisor supervisor;
    /** The node's exec service; null where it has none. */
    private final ExecService exec;
    private final OutputRecords outputs;
    /** The ends this node reported, read to answer query-attempt; its own connection to records.db. */
    private final EndedAttempts ended;
    /** Queues an event for the sender, behind every event handed over before it. */
    private final Function<RunnerEvent, CompletableFuture<Void>> handOver;
    /** Sends of events raised by the open transaction, awaited before it commits. */
    private final List<CompletableFuture<Void>> deferred = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param session the transacted session {@code commands} consumes in
     * @param died told when the thread died of what no command should cause
     */
    NodeCommands(Session session, MessageConsumer commands, String nodeId, Clock clock, JobSupervisor supervisor,
            ExecService exec, OutputRecords outputs, EndedAttempts ended,
            Function<RunnerEvent, CompletableFuture<Void>> handOver, Consumer<Throwable> died) {
        this.session = session;
        this.commands = commands;
        this.nodeId = nodeId;
        this.clock = clock;
        this.supervisor = supervisor;
        this.exec = exec;
        this.outputs = outputs;
        this.ended = ended;
        this.handOver = handOver;
        this.thread = new Thread(this::consume, "cadre-node-commands");
        thread.setUncaughtExceptionHandler((t, cause) -> {
            running = false;
            died.accept(cause);
        });
    }

    void start() {
        thread.start();
    }

    /**
     * Defers the wait for the event's send to the commit, when called on the command thread: a burst of launches
     * then shares messages, and a failure rolls the commands back.
     *
     * @return false when called on another thread, which is to wait for the send itself
     */
    boolean deferred(CompletableFuture<Void> sent) {
        if (Thread.currentThread() != thread) {
            return false;
        }
        deferred.add(sent);
        return true;
    }

    private void awaitDeferred() throws JMSException {
        try {
            for (CompletableFuture<Void> sent : deferred) {
                NodeRunner.await(sent);
            }
        } finally {
            deferred.clear();
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
                    session.commit();
                } catch (TransactionRolledBackException e) {
                    // A broker failover (the head restarted) rolls back the open transaction: expected, and the
                    // redelivery is the recovery, so one line rather than a stack an operator would take for a bug.
                    LOG.warn("commands rolled back by a broker failover; they will be redelivered ({})",
                            e.getMessage());
                    deferred.clear();
                    session.rollback();
                } catch (Exception e) {
                    LOG.error("command failed; it will be redelivered", e);
                    deferred.clear();
                    session.rollback();
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("command consumer error: {}", e.toString());
                }
            }
        }
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
        } else if (command instanceof NodeCommand.SetTimeLimit limit) {
            supervisor.setTimeLimit(limit);
        } else if (command instanceof NodeCommand.QueryAttempt query) {
            answer(query);
        } else if (command instanceof NodeCommand.SuspendAttempt suspend) {
            supervisor.suspend(suspend);
            suspendCommands(suspend.jobId(), suspend.attempt(), true);
        } else if (command instanceof NodeCommand.ResumeAttempt resume) {
            suspendCommands(resume.jobId(), resume.attempt(), false);
            supervisor.resume(resume);
        } else {
            kill((NodeCommand.KillJob) command);
        }
        return ENDS_BATCH;
    }

    /** The remote commands the attempt runs here (MPI ranks), stopped or continued with its script. */
    private void suspendCommands(long jobId, int attempt, boolean stop) throws IOException {
        if (exec != null) {
            List<Long> signalled = exec.suspend(jobId, attempt, stop);
            if (!signalled.isEmpty()) {
                LOG.info("job {} attempt {}: remote commands {}, SIG{} to {}", jobId, attempt, stop ? "suspended"
                        : "resumed", stop ? "STOP" : "CONT", signalled);
            }
        }
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
            gone.thenRun(() -> handOver.apply(new RunnerEvent.RunnerReleased(kill.jobId(), kill.attempt(), nodeId,
                    clock.instant())).whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("job {} attempt {}: runner-released not sent ({}); the next heartbeat says it",
                                    kill.jobId(), kill.attempt(), e.toString());
                        }
                    }));
        }
    }

    /**
     * The head believed the attempt running and a heartbeat no longer lists it (its cadre.db restored from a backup,
     * or an end it missed): the recorded end is reported again, so a job that ended is not declared lost and run a
     * second time; with no record, runner-released says nothing of it runs here and no end is known. An attempt this
     * node runs is left to the heartbeats, which list it. The answer is sent before the query is acknowledged.
     */
    private void answer(NodeCommand.QueryAttempt query) throws IOException {
        if (supervisor.runs(query.jobId(), query.attempt())) {
            LOG.info("job {} attempt {}: the head asked how it ended; it still runs here", query.jobId(),
                    query.attempt());
            return;
        }
        Optional<EndedAttempts.Ended> end = ended.findEnded(query.jobId(), query.attempt());
        RunnerEvent answer;
        if (end.isPresent() && end.get().answers(query.jobKey())) {
            LOG.info("job {} attempt {}: the head asked how it ended; reporting its recorded end again",
                    query.jobId(), query.attempt());
            answer = end.get().event();
        } else {
            LOG.warn("job {} attempt {}: the head asked how it ended, and this node has no record of its end{}",
                    query.jobId(), query.attempt(), end.isPresent() ? " (only one of another job of that id, key "
                    + end.get().jobKey() + ", not " + query.jobKey() + ")" : "");
            answer = new RunnerEvent.RunnerReleased(query.jobId(), query.attempt(), nodeId, clock.instant());
        }
        deferred.add(handOver.apply(answer));
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

    /** Stops taking commands, and waits a while for the command in hand. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }

    /** Closes the session; a broker that is away would hold each of its calls for 30 s. */
    void close() throws InterruptedException {
        SessionClose.within(session, "node command", Duration.ofSeconds(2));
        ended.close();
    }
}
