package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which GPUs an attempt gets, and which GPUs a node has, as nvidia-smi lists them or as declared. */
class GpuChoiceTest {
    private static final NodeGpus FOUR = NodeGpus.declared(4);

    @Test
    void theLowestGpusNoOtherAttemptHoldsComeFirst() {
        assertEquals(List.of(0), GpuChoice.choose(FOUR, Set.of(), 1, false));
        assertEquals(List.of(1), GpuChoice.choose(FOUR, Set.of(0), 1, false));
        assertEquals(List.of(1, 3), GpuChoice.choose(FOUR, Set.of(0, 2), 2, false));
        assertEquals(List.of(), GpuChoice.choose(FOUR, Set.of(), 0, false), "a job without GPUs here");
        assertEquals(List.of(), GpuChoice.choose(NodeGpus.NONE, Set.of(), 1, false), "a node without GPUs");
    }

    @Test
    void aJobWithItsNodesWholeGetsEveryGpu() {
        assertEquals(List.of(0, 1, 2, 3), GpuChoice.choose(FOUR, Set.of(), 1, true));
        assertEquals(List.of(0, 1, 2, 3), GpuChoice.choose(FOUR, Set.of(), 0, true));
    }

    @Test
    void tooFewFreeStillGivesTheCountSharingTheLowestHeld() {
        assertEquals(List.of(0, 3), GpuChoice.choose(FOUR, Set.of(0, 1, 2), 2, false));
        assertEquals(List.of(0, 1, 2, 3), GpuChoice.choose(FOUR, Set.of(), 6, false), "never more than the node has");
    }

    @Test
    void nvidiaSmisListingNamesTheGpusByIndexAndItsMigDevicesAreNoGpusOfTheirOwn() {
        NodeGpus found = NodeGpus.fromNvidiaSmi("GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5b3c0f1e-aaaa)\n"
                + "  MIG 3g.20gb     Device  0: (UUID: MIG-1111)\n"
                + "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-9d2e77a0-bbbb)\n"
                + "GPU 3: Tesla T4 (UUID: GPU-0000)\n"
                + "No devices were found\n");
        assertEquals(List.of(0, 1, 3), found.indexes());
        assertTrue(found.detected());
        assertEquals(List.of(1), GpuChoice.choose(found, Set.of(0), 1, false));
        assertEquals(List.of(3), GpuChoice.choose(found, Set.of(0, 1), 1, false), "an index the node has");
        assertEquals(List.of(), NodeGpus.fromNvidiaSmi("").indexes());
        assertEquals(List.of(0, 1, 2), NodeGpus.declared(3).indexes());
        assertFalse(NodeGpus.declared(3).detected());
    }

    @Test
    void typedGpusComeOfTheTypesTheHeadGaveTheLowestFreeFirst() {
        NodeGpus node = NodeGpus.declared("a100:2,v100:1");
        assertEquals(List.of(0, 1, 2), node.indexes());
        assertEquals("v100", node.typeOf(2));
        assertEquals(List.of(2), GpuChoice.choose(node, Set.of(), 1, Map.of("v100", 1), false));
        assertEquals(List.of(1), GpuChoice.choose(node, Set.of(0), 1, Map.of("a100", 1), false));
        assertEquals(List.of(1, 2), GpuChoice.choose(node, Set.of(0), 2, new TreeMap<>(Map.of("a100", 1, "v100", 1)),
                false));
        assertEquals(List.of(0), GpuChoice.choose(node, Set.of(0, 1), 1, Map.of("a100", 1), false),
                "too few free: it shares the lowest of its type, not the free v100");
        assertEquals(List.of(0), GpuChoice.choose(node, Set.of(), 1, null, false), "a head from before types");
        assertEquals(List.of(0, 1, 2), GpuChoice.choose(node, Set.of(), 1, Map.of("a100", 1), true));
    }

    @Test
    void aDeclarationIsACountOrEachTypesCountAndAnythingElseIsRefusedNamingIt() {
        assertEquals(Map.of("a100", List.of(0, 1), "v100", List.of(2)), NodeGpus.declared("a100:2,v100:1").byType());
        assertEquals(Map.of("a100", List.of(0)), NodeGpus.declared("a100").byType(), "a type alone is one");
        assertEquals(null, NodeGpus.declared("4").byType());
        assertEquals(4, NodeGpus.declared("4").count());
        for (String bad : List.of("a100:x", "1x:2", "a100:2,a100:1", "a100:1:2", "a100:2,3", "", "2000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeGpus.declared(bad));
            assertFalse(e.getMessage().isBlank(), bad);
        }
        assertEquals("'1x' is no GPU type: a letter, then up to 63 letters, digits or _ . + - (give a count, or"
                + " TYPE:COUNT for each type: a100:2,v100:1)", assertThrows(IllegalArgumentException.class,
                        () -> NodeGpus.declared("1x:2")).getMessage());
    }

    @Test
    void nvidiaSmiNamesEachGpusTypeAsSlurmsAutoDetectDoes() {
        NodeGpus found = NodeGpus.fromNvidiaSmi("GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5b3c0f1e-aaaa)\n"
                + "  MIG 3g.20gb     Device  0: (UUID: MIG-1111)\n"
                + "GPU 1: Tesla T4 (UUID: GPU-0000)\n"
                + "GPU 2: NVIDIA A100-SXM4-40GB (UUID: GPU-9d2e77a0-bbbb)\n");
        assertEquals(Map.of("nvidia_a100-sxm4-40gb", List.of(0, 2), "tesla_t4", List.of(1)), found.byType());
        assertEquals(List.of("nvidia_a100-sxm4-40gb", "tesla_t4"), List.copyOf(found.byType().keySet()));
        assertEquals(List.of(2), GpuChoice.choose(found, Set.of(0), 1, Map.of("nvidia_a100-sxm4-40gb", 1), false));
        assertEquals(null, NodeGpus.fromNvidiaSmi("GPU 0: 3D (UUID: GPU-1)\n").byType(),
                "a name that makes no type: no types at all");
    }
}
