package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/** A node as the scheduler knows it. */
public record NodeRecord(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
        NodeState state, Instant lastSeen, String reason) {

    public enum NodeState {
        UP, DOWN
    }
}
