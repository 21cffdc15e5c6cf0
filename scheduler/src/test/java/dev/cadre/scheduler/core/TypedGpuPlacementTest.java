package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The head places GPUs by type, as Slurm's typed GRES: a job asking for a type runs only where that many of the type
 * are free and gets them; one asking for none takes the node's first types first; a node whose GPUs have no type
 * takes no typed job. Typed counts follow the allocations taken and given back, now and in a plan's timeline.
 */
class TypedGpuPlacementTest {
    /** gpu:a100:2,gpu:v100:1, 8 cores. */
    private static final NodeCapacity TYPED = new NodeCapacity("id1", "typed", 8, 16_000, 3, types("a100", 2,
            "v100", 1));
    /** gpu:4 of no type, 8 cores. */
    private static final NodeCapacity PLAIN = new NodeCapacity("id2", "plain", 8, 16_000, 4);

    private static Map<String, Integer> types(Object... typeCounts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < typeCounts.length; i += 2) {
            out.put((String) typeCounts[i], (Integer) typeCounts[i + 1]);
        }
        return out;
    }

    private static JobSpec gpus(int count, String type) {
        return JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/tmp").gpusPerTask(count).gpuType(type)
                .build();
    }

    /** Where the job goes and which types it gets there ("typed {v100=1}"), taking them from {@code free}. */
    private static String place(JobSpec spec, FreeResources free) {
        Optional<Allocation> a = ResourceFit.fit(spec, free);
        a.ifPresent(al -> free.take(al, spec));
        return a.map(al -> al.nodes().get(0).hostname() + " " + al.nodes().get(0).gpus() + " "
                + al.nodes().get(0).gpuTypes()).orElse("none");
    }

    @Test
    void aJobAskingForATypeRunsOnlyWhereThatManyOfItAreFreeAndGetsThem() {
        FreeResources free = FreeResources.idle(List.of(PLAIN, TYPED));
        assertEquals("typed 1 {v100=1}", place(gpus(1, "v100"), free), "not on the node without types");
        assertEquals("none", place(gpus(1, "v100"), free), "the only v100 is taken");
        assertEquals("typed 2 {a100=2}", place(gpus(2, "a100"), free));
        assertEquals("none", place(gpus(1, "a100"), free));
        assertEquals("none", place(gpus(1, "h100"), free), "a type no node has");
        assertEquals("plain 1 null", place(gpus(1, null), free), "any type: the node without types has them");
    }

    @Test
    void aJobAskingForNoTypeTakesTheNodesFirstTypesFirst() {
        FreeResources free = FreeResources.idle(List.of(TYPED));
        assertEquals("typed 1 {a100=1}", place(gpus(1, null), free));
        assertEquals("typed 2 {a100=1, v100=1}", place(gpus(2, null), free), "what is left of a100, then v100");
        assertEquals("none", place(gpus(1, "a100"), free), "both a100 are taken, one by a job that asked for none");
        assertEquals("none", place(gpus(1, null), free));
        Allocation.NodeSlots whole = ResourceFit.fit(gpus(1, "a100").toBuilder().exclusive(true).build(),
                FreeResources.idle(List.of(TYPED))).orElseThrow().nodes().get(0);
        assertEquals(types("a100", 2, "v100", 1), whole.gpuTypes(), "an exclusive job has every GPU of every type");
    }

    @Test
    void givenBackTheTypesAreFreeAgain() {
        FreeResources free = FreeResources.idle(List.of(TYPED));
        Allocation a100 = ResourceFit.fit(gpus(2, "a100"), free).orElseThrow();
        free.take(a100, false);
        assertEquals(types("a100", 0, "v100", 1), free.free("id1").gpuTypes());
        free.give(a100, false);
        assertEquals(types("a100", 2, "v100", 1), free.free("id1").gpuTypes());
        assertTrue(free.idle("id1"));
    }

    @Test
    void aPlansTimelineCountsEachTypeThroughoutAPeriod() {
        NodeTimeline t = new NodeTimeline(10, TYPED, false);
        Allocation.NodeSlots v100 = new Allocation.NodeSlots("id1", "typed", 1, 1, 1, 0, types("v100", 1));
        t.take(2, 5, v100, false);
        assertEquals(types("a100", 2, "v100", 0), t.freeThroughout(TYPED, 0, 10).gpuTypes());
        assertEquals(types("a100", 2, "v100", 1), t.freeThroughout(TYPED, 5, 10).gpuTypes(), "given back at 5");
        assertEquals(0, t.gpusOf(t.entryAt(3), "v100"));
        assertEquals(2, t.gpusOf(t.entryAt(3), null), "any type: two a100 are free");
        assertEquals(1, t.gpusOf(t.entryAt(6), "v100"));
    }

    @Test
    void aTypeNoNodeHasIsRefusedNamingTheTypesTheNodesHave() {
        Refusal r = ClusterFit.refusal(gpus(1, "h100"), List.of(PLAIN, TYPED)).orElseThrow();
        assertEquals("spec.gpuType", r.problem().field());
        assertEquals("asks for h100 GPUs; no node has any (the nodes' GPU types: [a100, v100])",
                r.problem().message());
        Refusal tooMany = ClusterFit.refusal(gpus(2, "v100"), List.of(PLAIN, TYPED)).orElseThrow();
        assertEquals("asks 2 v100 GPUs per task; the largest node has 1", tooMany.problem().message());
        assertTrue(ClusterFit.refusal(gpus(2, "a100"), List.of(PLAIN, TYPED)).isEmpty());
        assertNull(TypedGpus.take(Map.of(), null, 1), "a node without types gives none");
    }
}
