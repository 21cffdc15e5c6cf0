package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import jakarta.jms.Destination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a remote command's answers go: the reply-to of its exec-request, until a keepalive names another. That is a
 * relay that resumed the run after the coordinator's node-runner restarted (protocol.md 13.9): the reply queue the
 * request named went with the earlier runner's connection, and output sent there would be lost.
 */
final class ReplyRoute implements ExecRun.Replies {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyRoute.class);
    private final ExecReplies replies;
    private final String requestId;
    private volatile Destination to;

    ReplyRoute(ExecReplies replies, String requestId, Destination to) {
        this.replies = replies;
        this.requestId = requestId;
        this.to = to;
    }

    @Override
    public boolean send(ExecMessage message) {
        return replies.send(to, requestId, message);
    }

    /**
     * Answers go to the reply-to of the keepalive just heard from now on; null (unreadable) changes nothing.
     *
     * @return whether that is another queue: a relay resumed the run
     */
    boolean follow(Destination replyTo) {
        if (replyTo != null && !replyTo.equals(to)) {
            LOG.info("exec {}: its answers go to {} from now on, the reply queue its resuming relay named", requestId,
                    replyTo);
            to = replyTo;
            return true;
        }
        return false;
    }
}
