package dev.cadre.node.core;

import dev.cadre.protocol.NodeCommand;
import java.time.Duration;

/**
 * How long a node lets a remote command outlive its agent's silence: the head's node timeout, which its attempt's
 * place-job carries, and {@link #MARGIN} more. The keepalives cross the head's broker, so silence may only mean that
 * the head, or this node's or the coordinator's link to it, is away; a single-node job rides that out for the node
 * timeout, and so must the daemons of a multi-node one. By this limit the head has either come back (and the
 * keepalives with it) or marked the silent coordinator DOWN and killed the attempt here. Pure.
 */
public final class SilenceLimit {
    /** Past the node timeout, for the head's kill-job to arrive first when it marked the coordinator DOWN. */
    public static final Duration MARGIN = Duration.ofSeconds(5);
    /** For a place-job without the head's node timeout (heads before it): the default, 60 s, and the margin. */
    public static final Duration WITHOUT_NODE_TIMEOUT = Duration.ofSeconds(65);

    private SilenceLimit() {
    }

    /**
     * The limit for the commands of the place-job's attempt.
     *
     * @param place null when the attempt is no longer held: its commands are being killed anyway
     */
    public static Duration forPlace(NodeCommand.PlaceJob place, Duration withoutNodeTimeout) {
        return of(place == null ? null : place.nodeTimeoutMillis(), withoutNodeTimeout);
    }

    /**
     * @param nodeTimeoutMillis the place-job's {@code nodeTimeoutMillis}; null when it has none
     * @param withoutNodeTimeout the limit then ({@link #WITHOUT_NODE_TIMEOUT} but in tests)
     * @throws IllegalArgumentException naming the value when it is no node timeout a place-job may carry
     */
    public static Duration of(Long nodeTimeoutMillis, Duration withoutNodeTimeout) {
        if (nodeTimeoutMillis == null) {
            return withoutNodeTimeout;
        }
        if (nodeTimeoutMillis < 1 || nodeTimeoutMillis > NodeCommand.PlaceJob.MAX_NODE_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("a node timeout must be from 1 to "
                    + NodeCommand.PlaceJob.MAX_NODE_TIMEOUT_MILLIS + " ms, not " + nodeTimeoutMillis);
        }
        return Duration.ofMillis(nodeTimeoutMillis).plus(MARGIN);
    }
}
