package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The nodes a job attempt was given. The first node coordinates the launch. */
public record Allocation(List<NodeSlots> nodes) {
    public Allocation {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("an allocation needs at least one node");
        }
        nodes = List.copyOf(nodes);
    }

    /**
     * One node's share: how many tasks it runs and how many cores and GPUs it gives.
     *
     * @param gpuTypes how many of its GPUs are of each type, on a node whose GPUs have types ({@link GpuTypes}); null
     *     on one whose GPUs have none, and from a head from before types
     */
    public record NodeSlots(String nodeId, String hostname, int tasks, int cpus, int gpus, long memoryMb,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> gpuTypes) {
        public NodeSlots {
            gpuTypes = gpuTypes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(gpuTypes));
        }

        /** A share of GPUs without types. */
        public NodeSlots(String nodeId, String hostname, int tasks, int cpus, int gpus, long memoryMb) {
            this(nodeId, hostname, tasks, cpus, gpus, memoryMb, null);
        }
    }

    public NodeSlots coordinator() {
        return nodes.get(0);
    }

    public List<String> nodeIds() {
        return nodes.stream().map(NodeSlots::nodeId).toList();
    }

    public String hostnames() {
        return nodes.stream().map(NodeSlots::hostname).collect(Collectors.joining(","));
    }

    public boolean includes(String nodeId) {
        return nodes.stream().anyMatch(n -> n.nodeId().equals(nodeId));
    }
}
