package dev.cadre.node;

import dev.cadre.node.core.ExecAdmission;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the exec requests that came before their attempt's place-job, for {@link ExecService}
 * ({@link ExecAdmissions} keeps them waiting): started once it comes, off the node's command thread; refused when it
 * does not come in time or the attempt ends first; and, when the runner stops cleanly, handed to the next runner.
 * Such a request was taken off the exec queue and lives nowhere but here, so a stop that dropped it left its agent to
 * hear from the next runner, 3 s later, that nothing knows the command, although its place-job may still come. It is
 * sent back to this node's exec queue as it came, with its reply-to, and the next runner takes it as a request of its
 * own: it waits for the place-job there, is started once it comes (or at once, when the next runner holds the attempt
 * again from its record), is dropped if its agent released it meanwhile (its release is queued behind it), and never
 * runs twice, since this runner started no command for it. Only one that cannot be sent back is refused at the stop.
 */
final class EarlyRequests {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyRequests.class);
    /**
     * How long a request handed on waits on the queue for a next runner: its agent gives up 10 s after its request
     * ({@link ExecClient#START_TIMEOUT}) and releases it; this only bounds one left for a runner that does not come
     * back, with room for the clocks of node and head to differ a little.
     */
    static final Duration HANDED_ON_FOR = Duration.ofMinutes(1);

    private final String nodeId;
    private final ExecAdmissions admissions;
    private final Executor watchdog;
    private final ExecReplies replies;
    /** The exec account's connection (the node account may not send to exec queues), which outlives the service. */
    private final Connection execAccount;
    private final BiConsumer<Destination, ExecMessage.ExecRequest> start;

    /**
     * @param watchdog the exec service's, which starts the requests whose place-job came
     * @param start starts a request, admitted anew (its place-job is held now)
     */
    EarlyRequests(String nodeId, ExecAdmissions admissions, Executor watchdog, ExecReplies replies,
            Connection execAccount, BiConsumer<Destination, ExecMessage.ExecRequest> start) {
        this.nodeId = nodeId;
        this.admissions = admissions;
        this.watchdog = watchdog;
        this.replies = replies;
        this.execAccount = execAccount;
        this.start = start;
    }

    /** The node received the attempt: the requests that waited for it start. */
    void placed(NodeCommand.PlaceJob place) {
        List<ExecAdmissions.Waiting> arrived = admissions.hold(place);
        if (arrived == null) {
            return;
        }
        try {
            // Off the node's command thread: starting bash must not hold up the next place-job. A stop lets these
            // starts finish (ExecWatchdog.stop), so each command is left whole to the next runner.
            watchdog.execute(() -> arrived.forEach(w -> start.accept(w.replyTo(), w.request())));
        } catch (RejectedExecutionException e) {
            handOn(arrived); // the runner stops (its watchdog first): started by the next one
        }
    }

    /** The attempt ended here: the requests that waited for it are refused. */
    void ended(long jobId, int attempt) {
        List<ExecAdmissions.Waiting> refused = admissions.release(jobId, attempt);
        if (refused != null) {
            refused.forEach(this::refuseNotHeld);
        }
    }

    /** Refuses the requests whose place-job did not come within their wait ({@link ExecService#PLACE_WAIT}). */
    void refuseOverdue() {
        admissions.takeOverdue().forEach(this::refuseNotHeld);
    }

    /**
     * The runner stops, after its watchdog and its listener: every request still waiting is handed to the next runner,
     * and none waits here any more (a place-job held from now on starts none).
     */
    void handOn() {
        handOn(admissions.takeAll());
    }

    private void handOn(List<ExecAdmissions.Waiting> waiting) {
        if (waiting.isEmpty()) {
            return;
        }
        List<ExecAdmissions.Waiting> left = new ArrayList<>(waiting);
        try {
            Session session = execAccount.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try {
                MessageProducer toNode = session.createProducer(session.createQueue(Destinations.execQueue(nodeId)));
                // Persistent for the broker's confirmation: only a request it took is not refused here.
                toNode.setDeliveryMode(DeliveryMode.PERSISTENT);
                toNode.setTimeToLive(HANDED_ON_FOR.toMillis());
                while (!left.isEmpty()) {
                    ExecAdmissions.Waiting w = left.get(0);
                    TextMessage m = session.createTextMessage(MessageCodec.encode(w.request()));
                    m.setStringProperty("type", MessageCodec.typeName(w.request()));
                    m.setJMSReplyTo(w.replyTo());
                    toNode.send(m);
                    left.remove(0);
                    LOG.info("exec {}: still waiting for the place-job of job {} attempt {} as the runner stops;"
                            + " handed to the next runner", w.request().requestId(), w.request().jobId(),
                            w.request().attempt());
                }
            } finally {
                session.close();
            }
        } catch (JMSException | RuntimeException e) {
            left.forEach(w -> replies.refuse(w.replyTo(), w.request(), "the node-runner on " + nodeId + " stopped"
                    + " before job " + w.request().jobId() + " attempt " + w.request().attempt() + " was placed"
                    + " there, and could not hand the request on to the next node-runner (" + (e.getMessage() != null
                    ? e.getMessage() : e.toString()) + "); the command did not run"));
        }
    }

    private void refuseNotHeld(ExecAdmissions.Waiting w) {
        replies.refuse(w.replyTo(), w.request(), ExecAdmission.notHeldInTime(w.request(), nodeId).reason());
    }
}
