package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
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
}
