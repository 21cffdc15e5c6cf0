package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run an {@link ExecClient} follows ended, for its node: whether the node reported its end, and whether it gave
 * that end {@code killedFor}. Unless it reported an end that needs no answer, the node is released: told that nobody
 * waits for the command any more.
 */
final class RunEnding {
    private static final Logger LOG = LoggerFactory.getLogger(RunEnding.class);
    /** The error of the exec-exit a relay sends a node for a run nobody waits for any more ({@link #release}). */
    static final String RELEASED = "released by its requester: the agent went away";

    /** Whether the node reported the run's end; else nobody waits for it any more, and the node is told so. */
    boolean heardExit;
    /** The end the node gave killedFor, answered by a release once taken; null for any other. */
    ExecMessage.ExecExit killed;

    /** Whether the node is to be released: it did not report the run's end, or gave the end it reported killedFor. */
    boolean releases() {
        return !heardExit || killed != null;
    }

    /**
     * Tells the node that nobody waits for the command any more (the agent went away, or its output could not be
     * copied to it): an exec-exit sent the other way, after the request on the same session, so it never overtakes
     * it. The node kills the command at once instead of waiting out its silence limit, which is long so as to ride
     * out the head being away ({@link ExecService#SILENCE_LIMIT}). While the broker is away the send waits for it
     * on this agent's thread; a release lost all the same leaves the command to that limit or to its attempt's end.
     */
    static void release(Session session, MessageProducer toNode, String requestId) {
        try {
            TextMessage m = session.createTextMessage(MessageCodec.encode(new ExecMessage.ExecExit(requestId,
                    ExecClient.UNREACHABLE, 0, RELEASED)));
            m.setStringProperty("type", "exec-exit");
            toNode.send(m);
        } catch (JMSException | RuntimeException e) {
            LOG.debug("release of {} not sent: {}", requestId, e.toString());
        }
    }
}
