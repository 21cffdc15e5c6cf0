package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NodeCnt= reservations, whose nodes the head chooses as slurmctld's _select_nodes does (free nodes outside other
 * reservations first, then nodes other MAINT or OVERLAP ones hold, never a node a job holds at the start unless
 * IGNORE_JOBS, never a drained or down one unless MAINT), and updates that add and take away users, nodes and flags
 * with the same checks as a create.
 */
class NodeCountAndUpdateTest {
    private static ClientReply.ReservationResult counted(CoreScenario s, String name, int count, Duration in,
            String... flags) {
        var o = s.core.judge(new ReservationRequest.CreateReservation(name, s.in(in), null, 3600L, null, count,
                List.of("alice"), List.of(flags), "root", true));
        s.core.reservations().apply(o);
        return o.reply();
    }

    private static ReservationRequest.UpdateReservation change(String name, List<String> addUsers,
            List<String> removeUsers, String addNodes, String removeNodes) {
        return new ReservationRequest.UpdateReservation(name, null, null, null, null, null, addUsers, removeUsers,
                addNodes, removeNodes, null, null, "root", true);
    }

    private static CoreScenario fourNodes() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
        for (int i = 1; i <= 4; i++) {
            s.node("n" + i, 4);
        }
        return s;
    }

    @Test
    void theHeadChoosesFreeNodesOutsideOtherReservationsInItsNodeOrder() {
        CoreScenario s = fourNodes();
        AdvanceReservationTest.create(s, "held", Duration.ofHours(1), Duration.ofHours(2), "n1", List.of("bob"));
        AdvanceReservationTest.create(s, "shared", Duration.ofHours(1), Duration.ofHours(2), "n4", List.of("bob"),
                "OVERLAP");
        long busy = s.submit(CoreScenario.spec().timeLimitSeconds(4 * 3600L).nodelist(List.of("n2")));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(busy).state());

        var one = counted(s, "one", 1, Duration.ofHours(1));
        assertTrue(one.ok(), one.reason());
        assertEquals(List.of("n3"), one.reservation().nodes(), "free of jobs and of every other reservation");
        assertEquals(List.of(), one.reservation().flags(), "chosen nodes are not SPEC_NODES");
        var two = counted(s, "two", 1, Duration.ofHours(1));
        assertEquals(List.of("n4"), two.reservation().nodes(), "then a node an OVERLAP reservation holds");
        var none = counted(s, "none", 1, Duration.ofHours(1));
        assertEquals(ReservationRefusal.NODES_BUSY, none.code(), "n1 is another's, n2 runs a job into the start");
        assertEquals("Requested nodes are busy", none.code().slurmText());
        var ignoring = counted(s, "ignoring", 1, Duration.ofHours(1), "IGNORE_JOBS");
        assertEquals(List.of("n2"), ignoring.reservation().nodes(), "IGNORE_JOBS takes the job's node");
        var later = counted(s, "later", 1, Duration.ofHours(5));
        assertEquals(List.of("n1"), later.reservation().nodes(), "after the others end and the job's limit");
        assertEquals(ReservationRefusal.NODES_BUSY, counted(s, "many", 5, Duration.ofHours(8)).code(),
                "more nodes than there are");
    }

    @Test
    void maintenanceMayTakeNodesOthersHoldAndDrainedOnes() {
        CoreScenario s = fourNodes();
        AdvanceReservationTest.create(s, "held", Duration.ofHours(1), Duration.ofHours(2), "n[1-3]", List.of("bob"));
        assertTrue(s.core.nodeControl().drain(new ControlRequest.DrainNode("n4", "disk", "root")).result().ok());
        assertEquals(ReservationRefusal.NODES_BUSY, counted(s, "plain", 1, Duration.ofHours(1)).code());
        var maint = counted(s, "maint", 2, Duration.ofHours(1), "MAINT");
        assertTrue(maint.ok(), maint.reason());
        assertEquals(List.of("n1", "n2"), maint.reservation().nodes());
        assertEquals(List.of("MAINT"), maint.reservation().flags());
    }

    @Test
    void anUpdateAddsAndTakesAwayUsersAndNodesWithTheChecksOfACreate() {
        CoreScenario s = fourNodes();
        AdvanceReservationTest.create(s, "r", Duration.ZERO, Duration.ofHours(2), "n1", List.of("alice"));
        AdvanceReservationTest.create(s, "other", Duration.ZERO, Duration.ofHours(2), "n3", List.of("bob"));
        var o = s.core.judge(change("r", List.of("bob", "carol"), null, "n2", null));
        assertTrue(o.reply().ok(), o.reply().reason());
        s.core.reservations().apply(o);
        assertEquals(List.of("alice", "bob", "carol"), o.stored().users());
        assertEquals(List.of("n1", "n2"), o.stored().nodes());

        long bobs = s.submit(CoreScenario.spec().user("bob").reservation("r"));
        var refused = s.core.judge(change("r", null, List.of("bob"), null, null));
        assertEquals(ReservationRefusal.IN_USE, refused.reply().code(), "bob's pending job would lose its access");
        assertTrue(refused.reply().reason().startsWith("Reservation update rejected because of JobId=" + bobs),
                refused.reply().reason());
        assertTrue(s.core.judge(change("r", null, List.of("carol"), null, null)).reply().ok());
        assertEquals(ReservationRefusal.NO_USERS, s.core.judge(change("r", null, List.of("alice", "bob", "carol"),
                null, null)).reply().code());
        assertEquals(ReservationRefusal.OVERLAP, s.core.judge(change("r", null, null, "n3", null)).reply().code());
        assertEquals(ReservationRefusal.INVALID_NODE, s.core.judge(change("r", null, null, "n9", null)).reply()
                .code());
        var empty = s.core.judge(change("r", null, null, null, "n[1-2]")).reply();
        assertEquals(ReservationRefusal.INVALID_FIELD, empty.code());
        assertEquals("removeNodes", empty.field());
        var less = s.core.judge(change("r", null, null, null, "n1"));
        assertEquals(List.of("n2"), less.stored().nodes());
        assertEquals(List.of("SPEC_NODES"), less.stored().flags());
        assertEquals(2, s.core.reservations().list().stream().filter(x -> x.name().equals("r"))
                .findFirst().orElseThrow().nodes().size(), "a judged update changes nothing until applied");
    }

    @Test
    void flagsAreAddedAndTakenAwayAsUpdateResvDoes() {
        CoreScenario s = fourNodes();
        AdvanceReservationTest.create(s, "r", Duration.ofHours(1), Duration.ofHours(1), "ALL", List.of("alice"),
                "MAINT");
        var o = s.core.judge(RecurringReservationTest.update("r", List.of("IGNORE_JOBS", "DAILY"), List.of("MAINT")));
        assertTrue(o.reply().ok(), o.reply().reason());
        assertEquals(List.of("IGNORE_JOBS", "DAILY", "SPEC_NODES", "ALL_NODES"), o.stored().flags());
        AdvanceReservation kept = s.core.reservations().list().get(0);
        assertFalse(kept.has("DAILY"));
        long job = s.submit(CoreScenario.spec().timeLimitSeconds(7200L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(job).state());
        s.core.reservations().apply(s.core.judge(RecurringReservationTest.update("r", null, List.of("MAINT"))));
        s.schedule();
        assertEquals("Resources", s.job(job).reason(), "no longer for maintenance");
    }
}
