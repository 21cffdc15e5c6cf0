package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node older than the host-name rule may still be in an allocation with a name the rule refuses: its hostfile is
 * refused with the rule's reason, and CADRE_EXEC_NODES lists it by its id so that the other pairs still parse.
 */
class NodeHostNameInLaunchTest {
    private static final Allocation ODD = new Allocation(List.of(
            new Allocation.NodeSlots("good-1", "good", 1, 1, 0, 0),
            new Allocation.NodeSlots("odd-name-x-2", "odd,name=x", 1, 1, 0, 0),
            new Allocation.NodeSlots("node-1-3", "node:1", 1, 1, 0, 0)));

    @Test
    void theHostfileRefusesWhatTheRuleRefuses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hostfile.text(ODD));
        assertTrue(e.getMessage().contains("odd-name-x-2") && e.getMessage().contains("'odd,name=x'"),
                e.getMessage());
        // A ':' passed the hostfile's own check once, and then broke sacct's host lists.
        Allocation colon = new Allocation(List.of(new Allocation.NodeSlots("node-1-3", "node:1", 1, 1, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> Hostfile.text(colon));
    }

    @Test
    void execNodesListAnOddNameByItsNodeId() {
        String nodes = ExecAccess.environment(7, 1, "t", ODD, Path.of("/run/relay")).get(ExecAccess.NODES);
        assertEquals("good=good-1,odd-name-x-2=odd-name-x-2,node-1-3=node-1-3", nodes);
        assertEquals(Map.of("good", "good-1", "good-1", "good-1", "odd-name-x-2", "odd-name-x-2", "node-1-3",
                "node-1-3"), ExecAccess.nodes(nodes));
    }
}
