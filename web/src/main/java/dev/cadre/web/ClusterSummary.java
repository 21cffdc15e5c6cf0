package dev.cadre.web;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.NodeUsage;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * GET /api/cluster: the cluster at a glance.
 *
 * @param cores the cores of the nodes that are UP, and those the running jobs hold, each core counted once (a job
 *        resumed after a suspend may share its cores with jobs started on them meanwhile: NodeSummary.Allocated)
 * @param jobs every stored job by state (an array's pending tasks count as one, its record)
 * @param queueLength jobs waiting to start: PENDING and REQUEUED, each task an array holds counted as a job
 * @param running jobs holding nodes: RUNNING and COMPLETING
 */
record ClusterSummary(Instant time, Nodes nodes, Amount cores, Amount gpus, Amount memoryMb,
        Map<JobState, Long> jobs, long queueLength, long running) {

    record Nodes(int total, int up, int down) {
    }

    /** @param total what the UP nodes offer; allocated what jobs hold, on any node */
    record Amount(long total, long allocated) {
    }

    /**
     * @param byState stored records by state
     * @param tasksInArrays the tasks waiting inside their arrays' records beyond the one each record counts as
     */
    static ClusterSummary of(Instant now, Collection<NodeRecord> nodes, Map<String, NodeUsage> usage,
            Map<JobState, Long> byState, long tasksInArrays) {
        int up = 0;
        long cores = 0;
        long gpus = 0;
        long memory = 0;
        Map<String, NodeRecord> byId = new HashMap<>();
        for (NodeRecord n : nodes) {
            byId.put(n.id(), n);
            if (n.state() == NodeRecord.NodeState.UP) {
                up++;
                cores += n.cores();
                gpus += n.gpus();
                memory += n.memoryMb();
            }
        }
        long coresHeld = 0;
        for (Map.Entry<String, NodeUsage> e : usage.entrySet()) {
            NodeRecord n = byId.get(e.getKey());
            coresHeld += n == null ? e.getValue().cores() : e.getValue().coresOn(n.cores());
        }
        long gpusHeld = usage.values().stream().mapToLong(NodeUsage::gpus).sum();
        long memoryHeld = usage.values().stream().mapToLong(NodeUsage::memoryMb).sum();
        Map<JobState, Long> jobs = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            jobs.put(s, byState.getOrDefault(s, 0L));
        }
        return new ClusterSummary(now, new Nodes(nodes.size(), up, nodes.size() - up), new Amount(cores, coresHeld),
                new Amount(gpus, gpusHeld), new Amount(memory, memoryHeld), jobs,
                jobs.get(JobState.PENDING) + jobs.get(JobState.REQUEUED) + tasksInArrays,
                jobs.get(JobState.RUNNING) + jobs.get(JobState.COMPLETING));
    }
}
