package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A node as the scheduler knows it.
 *
 * @param drain the administrator's drain (scontrol update State=DRAIN), null when the node takes jobs: kept
 *        whatever the node's liveness does, until resumed
 */
public record NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
        NodeState state, Instant lastSeen, String reason, Drain drain) {

    /** A node that is not drained. */
    public NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
            NodeState state, Instant lastSeen, String reason) {
        this(id, hostname, addresses, cores, memoryMb, gpus, state, lastSeen, reason, null);
    }

    /** The same node with this drain, or none. */
    public NodeRecord withDrain(Drain d) {
        return new NodeRecord(id, hostname, addresses, cores, memoryMb, gpus, state, lastSeen, reason, d);
    }

    /**
     * Taken out of service: no new job is placed on the node; jobs already there run on.
     *
     * @param user who drained it
     */
    public record Drain(String reason, String user, Instant since) {
    }

    public enum NodeState {
        UP, DOWN
    }
}
