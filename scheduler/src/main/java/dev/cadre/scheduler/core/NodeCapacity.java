package dev.cadre.scheduler.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A node's resources: in all, as it reported them, or what is left of them.
 *
 * @param gpuTypes how many of its GPUs are of each type ({@link TypedGpus}); empty when they have none
 */
public record NodeCapacity(String nodeId, String hostname, int cores, long memoryMb, int gpus,
        Map<String, Integer> gpuTypes) {
    public NodeCapacity {
        gpuTypes = gpuTypes == null || gpuTypes.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(gpuTypes));
    }

    /** A node whose GPUs have no type. */
    public NodeCapacity(String nodeId, String hostname, int cores, long memoryMb, int gpus) {
        this(nodeId, hostname, cores, memoryMb, gpus, Map.of());
    }

    /** The GPUs a job asking for this type (null: any) can have here. */
    public int gpusOf(String type) {
        return type == null ? gpus : gpuTypes.getOrDefault(type, 0);
    }

    /** Slurm's -w and -x name a node by its host name or its node id. */
    public boolean namedIn(Set<String> names) {
        return names.contains(nodeId) || names.contains(hostname);
    }

    public boolean named(String name) {
        return nodeId.equals(name) || hostname.equals(name);
    }
}
