package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One start of a job: where it ran, when, how it ended, and what it used.
 *
 * @param usage what its processes used on the node that ran its script, as that node reported at the end; null
 *        while it runs, and when no node reported it
 * @param cpus the CPU ids it held on each node of its allocation that said, in the allocation's order (scontrol -d
 *        show job's per-node lines); null when no node said
 */
public record AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime,
        JobState state, Integer exitCode, Integer signal, String error, ResourceUsage usage, List<NodeCpus> cpus) {
    @JsonCreator
    public AttemptRecord {
        cpus = cpus == null || cpus.isEmpty() ? null : List.copyOf(cpus);
    }

    /** An attempt whose nodes said nothing of its CPUs. */
    public AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime, JobState state,
            Integer exitCode, Integer signal, String error, ResourceUsage usage) {
        this(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, usage, null);
    }

    /** An attempt with no usage reported. */
    public AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime, JobState state,
            Integer exitCode, Integer signal, String error) {
        this(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, null, null);
    }

    public AttemptRecord withUsage(ResourceUsage newUsage) {
        return new AttemptRecord(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, newUsage,
                cpus);
    }

    public AttemptRecord withCpus(List<NodeCpus> newCpus) {
        return new AttemptRecord(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, usage,
                newCpus);
    }

    /**
     * The share of one node of the allocation, as that node said it took it.
     *
     * @param hostname the node's host name when the attempt was placed
     * @param cpus the CPU ids the attempt held there, in Linux's list format ({@link CpuIdList}); empty when it ran
     *        unbound there
     * @param memoryMb the memory the attempt was given there, MiB; 0 when it asked for none
     * @param gpus the indexes of the GPUs it held there ({@link GpuIndexes}); empty for none; null when the node did
     *        not say (a node-runner from before GPUs were bound)
     * @param gpuTypes those indexes by type, as the node names its GPUs now ({@link GpuTypes}); null where its GPUs
     *        have no type or it did not say
     */
    public record NodeCpus(String nodeId, String hostname, String cpus, long memoryMb, List<Integer> gpus,
            Map<String, List<Integer>> gpuTypes) {
        @JsonCreator
        public NodeCpus {
            gpus = gpus == null ? null : List.copyOf(gpus);
            gpuTypes = gpuTypes == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(gpuTypes));
        }

        /** A node's share of GPUs without types. */
        public NodeCpus(String nodeId, String hostname, String cpus, long memoryMb, List<Integer> gpus) {
            this(nodeId, hostname, cpus, memoryMb, gpus, null);
        }

        /** A node's share that says nothing of GPUs. */
        public NodeCpus(String nodeId, String hostname, String cpus, long memoryMb) {
            this(nodeId, hostname, cpus, memoryMb, null, null);
        }
    }
}
