package dev.cadre.protocol;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node as the scheduler knows it.
 *
 * @param drain the administrator's drain (scontrol update State=DRAIN), null when the node takes jobs: kept
 *        whatever the node's liveness does, until resumed
 * @param gpuTypes the indexes of its GPUs of each type, as it said them (node-heartbeat's); null when they have none
 */
public record NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
        NodeState state, Instant lastSeen, String reason, Drain drain, Map<String, List<Integer>> gpuTypes) {
    public NodeRecord {
        gpuTypes = gpuTypes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(gpuTypes));
    }

    /** A node whose GPUs have no type. */
    public NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
            NodeState state, Instant lastSeen, String reason, Drain drain) {
        this(id, hostname, addresses, cores, memoryMb, gpus, state, lastSeen, reason, drain, null);
    }

    /** A node that is not drained. */
    public NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
            NodeState state, Instant lastSeen, String reason) {
        this(id, hostname, addresses, cores, memoryMb, gpus, state, lastSeen, reason, null, null);
    }

    /** The same node with this drain, or none. */
    public NodeRecord withDrain(Drain d) {
        return new NodeRecord(id, hostname, addresses, cores, memoryMb, gpus, state, lastSeen, reason, d, gpuTypes);
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
