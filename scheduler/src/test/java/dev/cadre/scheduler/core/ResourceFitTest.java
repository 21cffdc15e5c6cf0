package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourceFitTest {
    static JobSpec.Builder job() {
        return JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/tmp");
    }

    /** Nodes n1..nk, each with the given cores, 16 GB and 2 GPUs. */
    static FreeResources nodes(int... cores) {
        List<NodeCapacity> list = new ArrayList<>();
        for (int i = 0; i < cores.length; i++) {
            list.add(new NodeCapacity("id" + (i + 1), "n" + (i + 1), cores[i], 16_000, 2));
        }
        return FreeResources.idle(list);
    }

    private static String layout(JobSpec spec, FreeResources free) {
        Optional<Allocation> a = ResourceFit.fit(spec, free);
        return a.map(al -> String.join(" ", al.nodes().stream().map(s -> s.hostname() + ":" + s.tasks()).toList()))
                .orElse("none");
    }

    @Test
    void aFixedNodeCountSpreadsTasksInBlocks() {
        assertEquals("n1:3 n2:3 n3:2", layout(job().nodes(3).tasks(8).build(), nodes(8, 8, 8, 8)));
        assertEquals("n1:2 n2:2", layout(job().nodes(2).tasks(4).build(), nodes(8, 8, 8)));
        // n1 holds only 2, so the larger shares go to nodes that can take them, and lead the allocation.
        assertEquals("n2:3 n3:3 n1:2", layout(job().nodes(3).tasks(8).build(), nodes(2, 8, 8)));
        assertEquals("none", layout(job().nodes(4).tasks(4).build(), nodes(8, 8, 8)));
        assertEquals("none", layout(job().nodes(2).tasks(4).cpusPerTask(3).build(), nodes(8, 4, 4)));
    }

    @Test
    void withoutANodeCountTasksFillTheFirstNodes() {
        assertEquals("n1:8 n2:2", layout(job().tasks(10).build(), nodes(8, 8, 8)));
        assertEquals("n1:4", layout(job().tasks(4).build(), nodes(8, 8)));
        assertEquals("n1:2 n2:2 n3:2 n4:1", layout(job().tasks(7).tasksPerNode(2).build(), nodes(8, 8, 8, 8)));
        assertEquals("n1:2 n2:2", layout(job().tasks(4).cpusPerTask(4).build(), nodes(8, 8)));
        assertEquals("n1:2 n2:1", layout(job().tasks(3).gpusPerTask(1).build(), nodes(8, 8)));
        assertEquals("none", layout(job().tasks(17).build(), nodes(8, 8)));
        assertEquals("none", layout(job().tasks(1).memoryMb(20_000L).build(), nodes(8, 8)));
    }

    @Test
    void requiredHostsAreAlwaysInTheAllocation() {
        assertEquals("n1:1 n3:1", layout(job().nodelist(List.of("n3")).nodes(2).tasks(2).build(), nodes(8, 8, 8)));
        assertEquals("n2:1 n3:1", layout(job().nodelist(List.of("n[2-3]")).build(), nodes(8, 8, 8)));
        assertEquals("n3:1", layout(job().nodelist(List.of("id3")).build(), nodes(8, 8, 8)));
        // Three names, so three tasks by default, but n3 and id3 are one node.
        assertEquals("n2:2 n3:1", layout(job().nodelist(List.of("n3", "id3", "n2")).build(), nodes(8, 8, 8)));
        assertEquals("n1:8 n2:2", layout(job().nodelist(List.of("n2")).tasks(10).build(), nodes(8, 8, 8)));
        assertEquals("none", layout(job().nodelist(List.of("n9")).build(), nodes(8, 8)));
        assertEquals("none", layout(job().nodelist(List.of("n1")).tasks(9).nodes(1).build(), nodes(8, 8)));
    }

    @Test
    void excludedHostsAreNeverUsed() {
        assertEquals("n3:1", layout(job().exclude(List.of("n[1-2]")).build(), nodes(8, 8, 8)));
        assertEquals("n1:1 n3:1", layout(job().exclude(List.of("id2")).nodes(2).build(), nodes(8, 8, 8)));
        assertEquals("none", layout(job().exclude(List.of("n1,n2")).nodes(2).build(), nodes(8, 8, 8)));
    }

    @Test
    void exclusiveJobsTakeWholeIdleNodesAndNobodyShares() {
        FreeResources free = nodes(8, 8);
        JobSpec small = job().tasks(1).build();
        Allocation first = ResourceFit.fit(small, free).orElseThrow();
        free.take(first, false);
        JobSpec whole = job().tasks(2).exclusive(true).build();
        Allocation a = ResourceFit.fit(whole, free).orElseThrow();
        assertEquals("n2", a.coordinator().hostname());
        assertEquals(8, a.coordinator().cpus());
        assertEquals(16_000, a.coordinator().memoryMb());
        free.take(a, true);
        assertEquals("n1:1", layout(small, free));
        assertEquals("none", layout(whole, free));
    }

    /** Such a job has every CPU of its node, and that much memory for each (as Slurm gives it, and the node limits). */
    @Test
    void anExclusiveJobAskingMemoryPerCpuNeedsThatMuchForEveryCpuOfItsNode() {
        FreeResources free = FreeResources.idle(List.of(new NodeCapacity("id1", "n1", 16, 16_000, 0),
                new NodeCapacity("id2", "n2", 4, 16_000, 0)));
        JobSpec.Builder perCpu = job().tasks(2).memoryPerCpuMb(2_000L).memoryMb(4_000L);
        assertEquals("n2:2", layout(perCpu.exclusive(true).build(), free));
        assertEquals("n1:2", layout(perCpu.exclusive(false).build(), free), "sharing, it has only its own CPUs");
        assertEquals("n1:2", layout(job().tasks(2).memoryMb(4_000L).exclusive(true).build(), free));
        // Judged by shape within a pass: the per-CPU figure is part of it.
        ShapeMemo memo = new ShapeMemo();
        assertTrue(memo.fit(job().tasks(2).memoryPerCpuMb(5_000L).memoryMb(10_000L).exclusive(true).build(), free)
                .isEmpty());
        assertTrue(memo.fit(job().tasks(2).memoryPerCpuMb(4_000L).memoryMb(10_000L).exclusive(true).build(), free)
                .isPresent());
    }

    @Test
    void exclusiveNodesStayTakenEvenIfTheyGrow() {
        FreeResources free = nodes(8);
        free.take(ResourceFit.fit(job().exclusive(true).build(), free).orElseThrow(), true);
        FreeResources grown = FreeResources.idle(List.of(new NodeCapacity("id1", "n1", 64, 16_000, 2)));
        grown.take(new Allocation(List.of(new Allocation.NodeSlots("id1", "n1", 1, 8, 2, 16_000))), true);
        assertEquals("none", layout(job().build(), grown));
    }

    /** Random jobs against random clusters: placement never over-commits, never uses -x, never shares -exclusive. */
    @Test
    void placementKeepsItsPromisesOnRandomClusters() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int size = 1 + random.nextInt(6);
            int[] cores = new int[size];
            for (int i = 0; i < size; i++) {
                cores[i] = 1 + random.nextInt(16);
            }
            FreeResources free = nodes(cores);
            Map<String, Integer> used = new HashMap<>();
            Map<String, Boolean> whole = new HashMap<>();
            for (int j = 0; j < 8; j++) {
                JobSpec spec = randomJob(random, size);
                Optional<Allocation> a = ResourceFit.fit(spec, free);
                if (a.isEmpty()) {
                    continue;
                }
                int tasks = 0;
                for (Allocation.NodeSlots s : a.get().nodes()) {
                    tasks += s.tasks();
                    assertTrue(s.tasks() >= 1);
                    assertTrue(!spec.excludedHosts().contains(s.hostname()), spec + " used excluded " + s);
                    assertTrue(!whole.getOrDefault(s.nodeId(), false), "shared an exclusive node: " + s);
                    if (spec.wholeNodes()) {
                        assertEquals(0, used.getOrDefault(s.nodeId(), 0), "exclusive job on a used node: " + s);
                    }
                    if (spec.tasksPerNode() != null) {
                        assertTrue(s.tasks() <= spec.tasksPerNode());
                    }
                    used.merge(s.nodeId(), s.cpus(), Integer::sum);
                    whole.put(s.nodeId(), spec.wholeNodes());
                    assertTrue(used.get(s.nodeId()) <= free.total(s.nodeId()).cores(), "over-committed " + s);
                }
                assertEquals(spec.taskCount(), tasks);
                if (spec.nodes() != null) {
                    assertEquals(spec.nodes(), a.get().nodes().size());
                }
                for (String h : spec.requiredHosts()) {
                    assertTrue(a.get().nodes().stream().anyMatch(s -> s.hostname().equals(h)));
                }
                free.take(a.get(), spec.wholeNodes());
            }
        }
    }

    private static JobSpec randomJob(Random random, int size) {
        JobSpec.Builder b = job().cpusPerTask(1 + random.nextInt(3));
        int nodes = 1 + random.nextInt(size);
        if (random.nextBoolean()) {
            b.nodes(nodes);
        }
        b.tasks(nodes + random.nextInt(6));
        if (random.nextInt(4) == 0) {
            b.tasksPerNode(1 + random.nextInt(4)).nodes(null);
        }
        if (random.nextInt(3) == 0) {
            b.exclude(List.of("n" + (1 + random.nextInt(size))));
        }
        if (random.nextInt(4) == 0) {
            b.exclusive(true);
        }
        return b.build();
    }
}
