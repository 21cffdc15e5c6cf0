package dev.cadre.scheduler.core;

import java.util.Set;

/** A node's resources: in all, as it reported them, or what is left of them. */
public record NodeCapacity(String nodeId, String hostname, int cores, long memoryMb, int gpus) {

    /** Slurm's -w and -x name a node by its host name or its node id. */
    public boolean namedIn(Set<String> names) {
        return names.contains(nodeId) || names.contains(hostname);
    }

    public boolean named(String name) {
        return nodeId.equals(name) || hostname.equals(name);
    }
}
