package dev.cadre.node;

import jakarta.jms.Destination;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the agents of requests this runner does not run ({@link UnknownRequests}, which decides when) for
 * {@link ExecService}: the keepalives of such requests, and the copies of requests that ran here before, are noted
 * on the exec watchdog's thread, which alone keeps them, and the answers that are due are sent from there.
 */
final class UnknownRequestAnswers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnknownRequestAnswers.class);

    /** Keepalives of requests not running here; used on the watchdog's thread alone. */
    private final UnknownRequests unknown;
    private final Executor watchdog;
    private final ExecSessions sessions;
    private final ExecAdmissions admissions;
    private final ExecReplies replies;
    /** The output of the commands an earlier runner started, relayed to their agents before their exits. */
    private final AdoptedOutput output;

    /** @param watchdog the exec service's watchdog, the one thread that keeps the requests not running here */
    UnknownRequestAnswers(String nodeId, Executor watchdog, ExecSessions sessions, ExecAdmissions admissions,
            ExecReplies replies) {
        this.unknown = new UnknownRequests(nodeId);
        this.watchdog = watchdog;
        this.sessions = sessions;
        this.admissions = admissions;
        this.replies = replies;
        this.output = new AdoptedOutput(replies);
    }

    /**
     * Relays the output of an adopted command to its agent from now on ({@link AdoptedOutput}); its exit is told
     * once that has ended.
     */
    void relayOutput(String requestId, Path record, BooleanSupplier wrapperRuns) {
        output.relay(requestId, record, wrapperRuns);
    }

    /** Ends the agents of requests this runner does not run, once that is sure; on the watchdog's thread. */
    void answerDue() {
        unknown.due(id -> sessions.running(id) || admissions.waitingFor(id), output::relaying, sessions::adopted,
                sessions::exitTold)
                .forEach((exit, replyTo) -> {
                    // Told again (the first answer was lost), or recorded by an adopted command's wrapper.
                    LOG.info("exec {}: answering its agent: {}", exit.requestId(), exit.error() != null ? exit.error()
                            : "exit status " + exit.exitCode());
                    replies.send(replyTo, exit.requestId(), exit);
                });
    }

    /** A keepalive for a request not running here; one without a reply queue cannot be answered. */
    void keepalive(String requestId, Destination replyTo) {
        if (replyTo != null) {
            output.follow(requestId, replyTo);
            // On the watchdog's thread, which alone keeps them.
            try {
                watchdog.execute(() -> unknown.heard(requestId, replyTo));
            } catch (RejectedExecutionException e) {
                // closing: the agent's next keepalive goes to the next runner
            }
        }
    }

    /** The request's relay let it go, and it neither runs nor waits here: its agent is not to be answered. */
    void released(String requestId) {
        output.release(requestId);
        try {
            watchdog.execute(() -> unknown.forget(requestId));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Whether the request ran here before: redelivered after the runner that took it was killed before it
     * acknowledged it, or sent again. Its command, adopted or ended, never runs twice; its agent is answered as a
     * keepalive's is (protocol.md 13.2), with the command's exit once it has ended.
     */
    boolean ranBefore(String requestId, Destination replyTo) {
        if (sessions.adopted(requestId).isEmpty() && sessions.exitTold(requestId).isEmpty()) {
            return false;
        }
        LOG.info("exec {}: ran on this node already; not run again, its agent is told its end", requestId);
        output.follow(requestId, replyTo);
        try {
            watchdog.execute(() -> unknown.heard(requestId, replyTo));
        } catch (RejectedExecutionException e) {
            // closing: the next runner answers the copy the broker gives it
        }
        return true;
    }

    /** The runner stops: the output of adopted commands is left to the next one. */
    @Override
    public void close() {
        output.close();
    }
}
