package dev.cadre.protocol;

import java.util.List;
import java.util.stream.Collectors;

/** The nodes a job attempt was given. The first node coordinates the launch. */
public record Allocation(List<NodeSlots> nodes) {
    public Allocation {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("an allocation needs at least one node");
        }
        nodes = List.copyOf(nodes);
    }

    /** One node's share: how many tasks it runs and how many cores and GPUs it gives. */
    public record NodeSlots(String nodeId, String hostname, int tasks, int cpus, int gpus, long memoryMb) {
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
