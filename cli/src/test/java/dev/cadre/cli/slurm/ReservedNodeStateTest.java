package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nodes an active advance reservation holds, as Slurm's sinfo and scontrol show node name them
 * (node_state_string, node_state_string_compact, node_state_string_complete): an idle node in a maintenance window
 * is maint, in another reservation resv; a busy one keeps its name, with '$' in a maintenance window; -t maint and
 * -t resv select by the flag; a reservation that has not begun or has ended holds nothing.
 */
class ReservedNodeStateTest {
    private static final Instant NOW = Instant.parse("2026-01-15T08:05:09Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static SinfoNode node(String name, int alloc) {
        return new SinfoNode(name, 4, alloc, 7976, 0, false, null, null);
    }

    private static AdvanceReservation reservation(String name, long fromMinutes, long toMinutes, String flags,
            String... nodes) {
        return new AdvanceReservation(name, NOW.plusSeconds(fromMinutes * 60), NOW.plusSeconds(toMinutes * 60),
                List.of(nodes), List.of("root"), flags.isEmpty() ? List.of() : List.of(flags.split(",")));
    }

    /** n1 idle and n2 busy in a maintenance window, n3 idle and n4 busy in another, n5 in one not begun, n6 none. */
    private static final NodeReservations HELD = NodeReservations.of(List.of(
            reservation("maint", -5, 60, "MAINT", "n1", "n2"), reservation("alice", 0, 60, "", "n3", "n4"),
            reservation("later", 10, 60, "", "n5"), reservation("over", -60, 0, "MAINT", "n6")), NOW);
    private static final List<SinfoNode> NODES = List.of(HELD.apply(node("n1", 0)), HELD.apply(node("n2", 2)),
            HELD.apply(node("n3", 0)), HELD.apply(node("n4", 4)), HELD.apply(node("n5", 0)),
            HELD.apply(node("n6", 0)));

    private static List<String> sinfo(String... args) throws SlurmUsageException {
        return SinfoFormat.render(SinfoOptions.parse(List.of(args), Map.of()), NODES, CLOCK);
    }

    @Test
    void sinfoNamesReservedNodesAsSlurmDoesAndListsTheMaintenanceFlagFirst() throws Exception {
        assertEquals(List.of(
                "PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST",
                "batch*       up   infinite      1   mix$ n2",
                "batch*       up   infinite      1  maint n1",
                "batch*       up   infinite      1   resv n3",
                "batch*       up   infinite      1  alloc n4",
                "batch*       up   infinite      2   idle n[5-6]"), sinfo());
        assertEquals(List.of("n1 maint", "n2 mixed$", "n3 reserved", "n4 allocated", "n5 idle", "n6 idle"),
                sinfo("-h", "-N", "-o", "%N %T"));
    }

    @Test
    void statesSelectReservedNodesByTheirFlag() throws Exception {
        assertEquals(List.of("n1", "n2"), sinfo("-h", "-N", "-t", "maint", "-o", "%N"));
        assertEquals(List.of("n1", "n2", "n3", "n4"), sinfo("-h", "-N", "-t", "resv", "-o", "%N"));
        assertEquals(List.of("n1", "n3", "n5", "n6"), sinfo("-h", "-N", "-t", "idle", "-o", "%N"));
    }

    @Test
    void scontrolShowNodeAddsTheReservationFlagsInSlurmsOrder() {
        assertEquals("IDLE+MAINTENANCE+RESERVED", ScontrolNodeFormat.state(NODES.get(0)));
        assertEquals("MIXED+MAINTENANCE+RESERVED", ScontrolNodeFormat.state(NODES.get(1)));
        assertEquals("IDLE+RESERVED", ScontrolNodeFormat.state(NODES.get(2)));
        assertEquals("ALLOCATED+RESERVED", ScontrolNodeFormat.state(NODES.get(3)));
        assertEquals("IDLE", ScontrolNodeFormat.state(NODES.get(4)));
        SinfoNode drainedDown = new SinfoNode("n7", 4, 0, 7976, 0, 0, 0, true, "gone", NOW, true, "root")
                .reservedAs(SinfoNode.Reserved.MAINT);
        assertEquals("DOWN+DRAIN+MAINTENANCE+RESERVED*", ScontrolNodeFormat.state(drainedDown));
        assertEquals("drain$", drainedDown.state().compactName);
    }
}
