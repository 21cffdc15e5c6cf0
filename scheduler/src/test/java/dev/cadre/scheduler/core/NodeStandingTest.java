package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.NodeRecord;
import dev.cadre.scheduler.core.NodeStanding.Kind;
import dev.cadre.scheduler.core.NodeStanding.Mark;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node counts as for accounting, and which changes make a row of its history. */
class NodeStandingTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private static final NodeRecord UP = new NodeRecord("n1", "host1", List.of(), 4, 1024, 0, NodeRecord.NodeState.UP,
            T, null);

    @Test
    void aDrainCountsAsDrainedUnlessTheNodeIsDownAsWell() {
        NodeRecord drained = UP.withDrain(new NodeRecord.Drain("disk", "root", T));
        NodeRecord down = new NodeRecord("n1", "host1", List.of(), 4, 1024, 0, NodeRecord.NodeState.DOWN, T,
                "Not responding");
        assertEquals(new Mark(Kind.UP, 4, null, null), NodeStanding.of(UP));
        assertEquals(new Mark(Kind.DRAINED, 4, "disk", "root"), NodeStanding.of(drained));
        assertEquals(new Mark(Kind.DOWN, 4, "Not responding", null), NodeStanding.of(down));
        assertEquals(new Mark(Kind.DOWN, 4, "Not responding", null), NodeStanding.of(down.withDrain(drained.drain())));
    }

    @Test
    void onlyAChangeOfStandingOrCoresMakesARow() {
        Mark up = NodeStanding.of(UP);
        assertTrue(NodeStanding.changes(null, up), "a node's first registration");
        assertFalse(NodeStanding.changes(up, NodeStanding.of(UP)), "a heartbeat");
        assertTrue(NodeStanding.changes(up, new Mark(Kind.UP, 8, null, null)), "more cores");
        assertTrue(NodeStanding.changes(up, NodeStanding.removed(UP)));
        assertFalse(NodeStanding.changes(null, NodeStanding.removed(UP)), "a node never recorded");
        assertFalse(NodeStanding.changes(new Mark(Kind.DRAINED, 4, "a", "root"), new Mark(Kind.DRAINED, 4, "b",
                "root")), "a drain's new reason");
    }
}
