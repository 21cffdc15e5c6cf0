package dev.cadre.node;

import dev.cadre.node.core.ExecAdmission;
import dev.cadre.node.core.SilenceLimit;
import dev.cadre.node.core.TerminalSize;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the remote commands of attempts this node holds ({@code cadre rsh} is the client): consumes the node's
 * exec queue, admits a request only for a held attempt with its token, streams the command's output back, and
 * kills its session when its agent falls silent or the attempt ends ({@link ExecSessions}, which records each on
 * disk, so that a runner restarted after a crash still kills them). A request that overtook its attempt's
 * place-job waits for it up to {@link #PLACE_WAIT} ({@link EarlyRequests}, which hands it to the next runner if this
 * one stops meanwhile).
 */
final class ExecService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
    /**
     * How long a command outlives its agent's silence when its attempt's place-job lacks the head's node timeout
     * ({@link SilenceLimit}). An agent that really went away is released at once by its relay (an exec-exit sent to
     * this queue), and an attempt's end or kill-job kills its commands at once too.
     */
    static final Duration SILENCE_LIMIT = SilenceLimit.WITHOUT_NODE_TIMEOUT;
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** How long a request waits for its attempt's place-job; well inside the agent's start timeout. */
    static final Duration PLACE_WAIT = Duration.ofSeconds(5);

    private final String nodeId;
    private final Session receiveSession;
    private final ExecReplies replies;
    /** The attempts this node holds, coordinator or not; changed by {@link #admissions} alone. */
    private final HeldAttempts held;
    private final ExecAdmissions admissions;
    /** The requests that came before their attempt's place-job. */
    private final EarlyRequests early;
    private final ExecSessions sessions;
    private final CommandLaunch launch;
    /** The agents of requests not running here, answered from the watchdog's thread. */
    private final UnknownRequestAnswers unknown;
    /** Its periodic checks, and the starts of requests that waited for their place-jobs. */
    private final ExecWatchdog watchdog = new ExecWatchdog();

    /**
     * @param execAccount the exec account's connection, which outlives the service: a stop hands the requests still
     *     waiting for their place-jobs back to the node's exec queue over it, as the node account may not send there
     * @param relaySocket this node's relay, which a command run here reaches other nodes through
     * @param held the attempts this node holds, which its relay checks its agents' tokens against too
     * @param records where the commands and the attempts held for other nodes' jobs are recorded
     * @param cgroups the node's cgroups, each command's processes in one; null to track them by session
     * @param formerCgroups where an earlier runner kept its cgroups, for one that tracks by session; else null
     * @param nodeProblems where an attempt this node cannot run a command of, for a fault of its own, is reported
     * @param silenceLimit how long a command outlives its agent's silence when its attempt's place-job does not
     *     carry the head's node timeout ({@link #SILENCE_LIMIT})
     */
    ExecService(Connection connection, Connection execAccount, String nodeId, Path relaySocket, HeldAttempts held,
            ExecRecords records, AttemptCgroups cgroups, AttemptCgroups formerCgroups,
            Consumer<RunnerEvent> nodeProblems, Duration silenceLimit) throws JMSException {
        this.nodeId = nodeId;
        this.held = held;
        this.admissions = new ExecAdmissions(nodeId, held, PLACE_WAIT);
        this.sessions = new ExecSessions(records, held, KILL_GRACE, cgroups, formerCgroups);
        this.launch = new CommandLaunch(nodeId, relaySocket, held, sessions, nodeProblems);
        this.replies = new ExecReplies(connection);
        this.unknown = new UnknownRequestAnswers(nodeId, watchdog, sessions, admissions, replies);
        this.early = new EarlyRequests(nodeId, admissions, watchdog, replies, execAccount, this::start);
        this.receiveSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        // Each run's from the head's node timeout in its attempt's place-job.
        watchdog.every(Duration.ofSeconds(1), () -> sessions.killSilent(run -> SilenceLimit.forPlace(held.get(
                run.jobId(), run.attempt()), silenceLimit)));
        watchdog.every(Duration.ofMillis(250), early::refuseOverdue);
        watchdog.every(Duration.ofSeconds(1), unknown::answerDue);
    }

    /**
     * What the attempts' commands run on and the GPUs they are given ({@link AttemptShares}); set before
     * {@link #restore}, which holds some.
     */
    void bind(AttemptShares shares) {
        held.bind(shares);
    }

    /** The node received the attempt: its exec requests may run here from now on. */
    void hold(NodeCommand.PlaceJob place) {
        early.placed(place);
    }

    /**
     * A restarted runner, before it takes any command: holds again the attempts the last one held for other nodes'
     * jobs, and lists the sessions its commands left, to be killed when their attempts end, relaying their output.
     */
    void restore() throws IOException {
        List<NodeCommand.PlaceJob> recorded = held.recorded();
        recorded.forEach(this::hold);
        int left = sessions.adopt(unknown::relayOutput);
        if (!recorded.isEmpty() || left > 0) {
            LOG.info("holding {} attempts of jobs coordinated elsewhere again; {} sessions of remote commands left",
                    recorded.size(), left);
        }
    }

    /** The commands running here, and what they left, which the node's memory checks measure. */
    ExecSessions sessions() {
        return sessions;
    }

    /** Whether the node holds the attempt, coordinated here or elsewhere: its commands may run here. */
    boolean holds(long jobId, int attempt) {
        return held.holds(jobId, attempt);
    }

    /** Once the attempts this node coordinates are adopted: kills the sessions left of attempts not held here. */
    void killLeftoversOfUnheld() {
        sessions.killUnheld();
    }

    /**
     * Takes exec messages from now on; after {@link #restore}. Keepalives the agents sent while no runner ran are
     * queued and come at once: taken before the adoption, an adopted command's would be taken for one nobody runs.
     */
    void start() throws JMSException {
        receiveSession.createConsumer(receiveSession.createQueue(Destinations.execQueue(nodeId)))
                .setMessageListener(this::onMessage);
    }

    /**
     * The attempt ended or was killed: its commands here are killed and no new one runs.
     *
     * @return done when nothing of those commands runs any more, and their CPUs and GPUs are free for other jobs
     */
    CompletableFuture<Void> release(long jobId, int attempt) {
        early.ended(jobId, attempt);
        return sessions.killAttempt(jobId, attempt).whenComplete((v, e) -> held.releaseShare(jobId, attempt));
    }

    /** scontrol suspend (stop) or resume of an attempt's commands here ({@link ExecSessions#suspend}). */
    List<Long> suspend(long jobId, int attempt, boolean stop) throws IOException {
        return sessions.suspend(jobId, attempt, stop);
    }

    /**
     * Attempts held here without being coordinated here, and attempts whose commands are still being killed: a
     * heartbeat lists them too, since the scheduler keeps their slots here taken until the node no longer does.
     */
    List<RunnerEvent.RunningAttempt> heldElsewhereCoordinated() {
        Set<RunnerEvent.RunningAttempt> out = new LinkedHashSet<>(held.coordinatedElsewhere());
        out.addAll(sessions.stopping());
        return List.copyOf(out);
    }

    private void onMessage(Message m) {
        ExecMessage message;
        try {
            if (!(m instanceof TextMessage t)) {
                LOG.warn("dropping a non-text message on {}", Destinations.execQueue(nodeId));
                return;
            }
            message = MessageCodec.decode(t.getText(), ExecMessage.class);
        } catch (ProtocolException | JMSException e) {
            LOG.warn("dropping an unreadable exec message: {}", e.getMessage());
            return;
        }
        if (message instanceof ExecMessage.ExecKeepalive k) {
            if (sessions.heard(k.requestId()) instanceof ReplyRoute route) {
                if (route.follow(ExecReplies.replyToOf(m))) {
                    // What the earlier relay had not sent is lost with it: the command is not left waiting for it.
                    sessions.closeInput(k.requestId());
                }
            } else if (!sessions.running(k.requestId())) {
                unknown.keepalive(k.requestId(), ExecReplies.replyToOf(m));
            }
        } else if (message instanceof ExecMessage.ExecRequest request) {
            start(m, request);
        } else if (message instanceof ExecMessage.ExecExit end) {
            released(end.requestId());
        } else if (message instanceof ExecMessage.ExecInput piece) {
            String refusal = sessions.offer(piece);
            if (refusal != null) {
                LOG.warn("exec {}: input at byte {} dropped: {}", piece.requestId(), piece.offset(), refusal);
            }
        } else if (message instanceof ExecMessage.ExecResize resize) {
            resize(resize);
        } else {
            LOG.warn("dropping {}: not accepted on the exec queue", MessageCodec.typeName(message));
        }
    }

    /** Off the consumer's thread, which keepalives must not wait behind: stty takes a few milliseconds. */
    private void resize(ExecMessage.ExecResize resize) {
        TerminalSize size;
        try {
            size = new TerminalSize(resize.rows(), resize.columns());
        } catch (IllegalArgumentException e) {
            LOG.warn("exec {}: resize dropped: {}", resize.requestId(), e.getMessage());
            return;
        }
        try {
            watchdog.execute(() -> {
                String refusal = sessions.resize(resize.requestId(), size);
                if (refusal != null) {
                    // A command without a terminal of its own, or one that has just ended: nothing to resize.
                    LOG.debug("exec {}: not resized to {}: {}", resize.requestId(), size, refusal);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("exec service closing; resize of {} dropped", resize.requestId());
        }
    }

    /** The requester's relay let the run go (its agent went away): nothing waits for the command any more. */
    private void released(String requestId) {
        if (sessions.release(requestId)) {
            return;
        }
        if (admissions.withdraw(requestId)) {
            LOG.info("exec {}: released by its requester before its attempt's place-job came; not run", requestId);
            return;
        }
        LOG.debug("exec {}: released, and not running here", requestId);
        unknown.released(requestId);
    }

    private void start(Message m, ExecMessage.ExecRequest request) {
        Destination replyTo = ExecReplies.replyToOf(m);
        if (replyTo == null) {
            LOG.warn("exec request {} has no reply-to; not run", request.requestId());
            return;
        }
        start(replyTo, request);
    }

    private void start(Destination replyTo, ExecMessage.ExecRequest request) {
        ExecAdmission.Verdict verdict = admissions.admit(replyTo, request);
        if (verdict instanceof ExecAdmission.Wait) {
            return; // until its place-job comes, or PLACE_WAIT passes
        }
        String refusal = verdict instanceof ExecAdmission.Refuse r ? r.reason() : null;
        // Only after the token's check: a copy's answer is its command's exit, which no other sender may be told.
        if (refusal == null && unknown.ranBefore(request.requestId(), replyTo)) {
            return;
        }
        if (refusal == null && sessions.heard(request.requestId()) instanceof ReplyRoute route) {
            // A copy of one running here (redelivered after a reconnect): an exit would end its agent mid-run.
            LOG.info("exec {}: already running here; not run again", request.requestId());
            route.follow(replyTo);
            return;
        }
        if (refusal != null) {
            replies.refuse(replyTo, request, refusal);
            return;
        }
        launch.start(request, ((ExecAdmission.Run) verdict).place(), new ReplyRoute(replies, request.requestId(),
                replyTo));
    }

    /**
     * Leaves the commands to the next runner ({@link ExecSessions#close}) once every start under way has ended: the
     * watchdog's ({@link ExecWatchdog#stop}) and the listener's (the session's close waits for it); and hands it the
     * requests still waiting for their place-jobs ({@link EarlyRequests#handOn}), once the listener can add none.
     */
    @Override
    public void close() throws JMSException {
        watchdog.stop();
        receiveSession.close();
        early.handOn();
        sessions.close();
        unknown.close();
        replies.close();
    }
}
