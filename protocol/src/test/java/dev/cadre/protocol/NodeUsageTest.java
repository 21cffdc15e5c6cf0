package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeUsageTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static JobRecord job(long id, JobState state, Allocation.NodeSlots... slots) {
        JobSpec spec = JobSpec.builder().name("j" + id).script("#!/bin/sh\ntrue\n").build();
        return new JobRecord(id, "k" + id, spec, state, null, 1, slots.length == 0 ? null : new Allocation(List.of(slots)),
                true, null, null, T, T, null);
    }

    private static Allocation.NodeSlots on(String node, int cpus, int gpus, long memoryMb) {
        return new Allocation.NodeSlots(node, node + "-host", cpus, cpus, gpus, memoryMb);
    }

    @Test
    void sumsTheSlotsOfEveryJobHoldingANode() {
        Map<String, NodeUsage> usage = NodeUsage.byNode(List.of(
                job(7, JobState.RUNNING, on("n1", 2, 1, 1024), on("n2", 4, 0, 0)),
                job(3, JobState.COMPLETING, on("n1", 1, 0, 512))));
        assertEquals(new NodeUsage(3, 1, 1536, List.of(3L, 7L)), usage.get("n1"));
        assertEquals(new NodeUsage(4, 0, 0, List.of(7L)), usage.get("n2"));
    }

    @Test
    void aSuspendedJobKeepsItsMemoryAndGpusButNotItsCoresAsInSlurm() {
        Map<String, NodeUsage> alone = NodeUsage.byNode(List.of(job(5, JobState.SUSPENDED, on("n1", 4, 1, 2048))));
        assertEquals(new NodeUsage(0, 1, 2048, List.of(5L)), alone.get("n1"), "no CPUs allocated: sinfo's idle");

        Map<String, NodeUsage> shared = NodeUsage.byNode(List.of(
                job(5, JobState.SUSPENDED, on("n1", 4, 1, 2048)),
                job(6, JobState.RUNNING, on("n1", 4, 0, 1024))));
        assertEquals(new NodeUsage(4, 1, 3072, List.of(5L, 6L)), shared.get("n1"),
                "the job started on its cores counts them alone");

        Map<String, NodeUsage> resumed = NodeUsage.byNode(List.of(
                job(5, JobState.RUNNING, on("n1", 4, 1, 2048)),
                job(6, JobState.RUNNING, on("n1", 4, 0, 1024))));
        assertEquals(8, resumed.get("n1").cores(), "resumed, both count: more than the node's 4 until one ends");
        assertEquals(4, resumed.get("n1").coresOn(4), "each core counted once, as Slurm's CPUAlloc");
        assertEquals(4, resumed.get("n1").oversubscribedCores(4));
    }

    @Test
    void aNodesCoresCountOnceUpToWhatItHas() {
        NodeUsage three = new NodeUsage(3, 0, 0, List.of(1L));
        assertEquals(3, three.coresOn(4));
        assertEquals(0, three.oversubscribedCores(4), "nothing held twice");
        assertEquals(2, three.coresOn(2), "a node back with fewer cores than its jobs hold");
        assertEquals(1, three.oversubscribedCores(2));
        assertEquals(0, NodeUsage.NONE.coresOn(4));
        assertEquals(0, NodeUsage.NONE.oversubscribedCores(4));
    }

    @Test
    void jobsThatHoldNothingCountForNothing() {
        Map<String, NodeUsage> usage = NodeUsage.byNode(List.of(
                job(1, JobState.PENDING),
                job(2, JobState.COMPLETED, on("n1", 2, 0, 0)),
                job(3, JobState.REQUEUED, on("n1", 2, 0, 0)),
                job(4, JobState.RUNNING, on("n2", 1, 0, 0))));
        assertFalse(usage.containsKey("n1"), usage.toString());
        assertTrue(usage.containsKey("n2"));
        assertEquals(Map.of(), NodeUsage.byNode(List.of()));
    }
}
