package dev.cadre.client;

import dev.cadre.protocol.ResourceUsage;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What a running job has used so far, read where it runs ({@link CadreClient#usage}; sstat's figures): one reading
 * per node of its allocation, the coordinator's (which runs the script) first, as {@code GET /api/jobs/ID/usage}
 * answers (docs/protocol.md 15), and their sum, {@link #total()}. The coordinator's figures include the remote
 * commands (MPI ranks) that have ended on any node; each other node's, the job's remote commands running there.
 *
 * @param jobId the job's own id (an array task's, for a task)
 * @param attempt the running attempt read
 */
public record JobUsage(long jobId, int attempt, List<NodeReading> nodes) {
    public JobUsage {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /**
     * One node's reading; every figure null when unknown: the node did not answer ({@code error} says why), or its
     * node-runner is from before the figure.
     *
     * @param coordinator whether the node runs the job's script
     * @param running whether any process of the job runs on the node now
     * @param usage CPU time so far and the memory peak where the node keeps one (a cgroup's memory.peak)
     * @param rssBytes the resident memory of the job's processes on the node now, summed
     * @param vmSizeBytes their virtual memory now, summed
     * @param diskReadBytes what they, with the children they reaped, have read from storage (not the page cache)
     * @param diskWriteBytes what they have written to storage
     * @param pids the job's processes on the node now
     * @param time when the node read them
     * @param error why the node's figures are missing: down, silent for 5 s, or without a record of the attempt
     */
    public record NodeReading(String nodeId, String hostname, boolean coordinator, boolean running,
            ResourceUsage usage, Long rssBytes, Long vmSizeBytes, Long diskReadBytes, Long diskWriteBytes,
            List<Long> pids, Instant time, String error) {
        public NodeReading {
            pids = pids == null ? List.of() : List.copyOf(pids);
        }
    }

    /**
     * The whole job's figures: each summed over the nodes that gave it, null when none did; but
     * {@code usage.maxRssBytes} is the largest peak one node kept, since peaks reached at different times do not add.
     *
     * @param processes the job's processes on all nodes now
     */
    public record Total(ResourceUsage usage, Long rssBytes, Long vmSizeBytes, Long diskReadBytes, Long diskWriteBytes,
            int processes) {
    }

    /** The sum over the nodes that answered. */
    public Total total() {
        List<NodeReading> answered = nodes.stream().filter(n -> n.error() == null).toList();
        List<ResourceUsage> used = answered.stream().map(NodeReading::usage).filter(u -> u != null).toList();
        ResourceUsage usage = used.isEmpty() ? null : new ResourceUsage(sum(used, ResourceUsage::userCpuMicros),
                sum(used, ResourceUsage::systemCpuMicros), used.stream().map(ResourceUsage::maxRssBytes)
                        .filter(b -> b != null).max(Long::compare).orElse(null));
        return new Total(usage, sum(answered, NodeReading::rssBytes), sum(answered, NodeReading::vmSizeBytes),
                sum(answered, NodeReading::diskReadBytes), sum(answered, NodeReading::diskWriteBytes),
                answered.stream().mapToInt(n -> n.pids().size()).sum());
    }

    /** The figure summed over those that know it, saturating rather than wrapping; null when none does. */
    private static <T> Long sum(List<T> parts, Function<T, Long> figure) {
        Long total = null;
        for (T part : parts) {
            Long one = figure.apply(part);
            if (one != null) {
                total = total == null ? one : total > Long.MAX_VALUE - one ? Long.MAX_VALUE : total + one;
            }
        }
        return total;
    }
}
