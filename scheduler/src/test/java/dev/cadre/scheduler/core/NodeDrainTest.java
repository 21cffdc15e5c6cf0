package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol update State=DRAIN|RESUME in the core: what a drained node still runs, takes, and keeps. */
class NodeDrainTest {

    private static ClientReply.NodeResult drain(CoreScenario s, String node, String reason) {
        var o = s.core.nodeControl().drain(new ControlRequest.DrainNode(node, reason, "root"));
        s.apply(o.decisions());
        return o.result();
    }

    private static ClientReply.NodeResult resume(CoreScenario s, String node) {
        var o = s.core.nodeControl().resume(new ControlRequest.ResumeNode(node, "root"));
        s.apply(o.decisions());
        return o.result();
    }

    private static NodeRecord node(CoreScenario s, String id) {
        return s.core.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDrainedNodeRunsItsJobsOnButTakesNoNewOneUntilResumed() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        long running = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(running).state());

        ClientReply.NodeResult r = drain(s, "n1", "disk swap");
        assertTrue(r.ok(), r.reason());
        assertEquals(new NodeRecord.Drain("disk swap", "root", s.clock.instant()), r.drain());
        long waiting = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(running).state(), "the drain leaves running jobs alone");
        assertEquals(JobState.PENDING, s.job(waiting).state());
        assertEquals("ReqNodeNotAvail", s.job(waiting).reason());
        assertTrue(s.sent.stream().noneMatch(m -> m.toString().contains("KillJob")), "nothing is killed");

        s.finish(running, 0);
        s.schedule();
        assertEquals(JobState.PENDING, s.job(waiting).state(), "an empty drained node takes nothing either");

        assertTrue(resume(s, "n1").ok());
        assertNull(node(s, "n1").drain());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(waiting).state());
    }

    @Test
    void aRefusalEchoesTheNodeAsSentMasked() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        String hostile = "n1\u001b]0;owned\u0007\u2066";
        for (ClientReply.NodeResult r : List.of(drain(s, hostile, "disk swap"), resume(s, hostile))) {
            assertTrue(r.unknown());
            assertEquals("node n1?]0;owned?? is not a known node", r.reason());
            assertEquals("n1?]0;owned??", r.node());
        }
        ClientReply.NodeResult tooLong = drain(s, "\u202e" + "n".repeat(NodeDrains.MAX_NODE), "disk swap");
        assertFalse(tooLong.ok());
        assertEquals("?" + "n".repeat(63) + "...", tooLong.node());
    }

    private static CoreScenario nodesN1AndN2(PlacementPolicy.Kind policy, int cores) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", cores);
        s.node("n2", cores);
        return s;
    }

    @Test
    void jobsThatNeedTheDrainedNodeWaitForItWithoutHoldingUpOthers() {
        CoreScenario s = nodesN1AndN2(PlacementPolicy.Kind.FCFS, 4);
        assertTrue(drain(s, "n1", "memory test").ok());
        long named = s.submit(CoreScenario.spec().nodelist(List.of("n1")));
        long twoNodes = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        long wide = s.submit(CoreScenario.spec().tasks(6));
        long small = s.submit(CoreScenario.spec());
        s.schedule();
        for (long id : List.of(named, twoNodes, wide)) {
            assertEquals(JobState.PENDING, s.job(id).state());
            assertEquals("ReqNodeNotAvail", s.job(id).reason(), "job " + id);
        }
        assertEquals(JobState.RUNNING, s.job(small).state(), "first come first served is not blocked by them");
        assertEquals("n2", s.job(small).allocation().coordinator().nodeId());

        resume(s, "n1");
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(named).state());
    }

    @Test
    void backfillDoesNotReserveOnADrainedNode() {
        CoreScenario s = nodesN1AndN2(PlacementPolicy.Kind.EASY, 8);
        long longOnN1 = s.submit(CoreScenario.spec().cpusPerTask(4).timeLimitSeconds(3600L)
                .nodelist(List.of("n1")));
        long shortOnN2 = s.submit(CoreScenario.spec().cpusPerTask(8).timeLimitSeconds(600L));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(longOnN1).state());
        assertEquals("n2", s.job(shortOnN2).allocation().coordinator().nodeId());
        drain(s, "n2", "fan");
        // It fits n1 alone once the long job ends (at 3600 s); n2, free at 600 s, no longer counts.
        long reserved = s.submit(CoreScenario.spec().cpusPerTask(5).timeLimitSeconds(600L));
        // Would end after that reservation on n1, leaving it too few cores: backfill must not start it.
        long late = s.submit(CoreScenario.spec().cpusPerTask(4).timeLimitSeconds(7200L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(reserved).state());
        assertEquals("Resources", s.job(reserved).reason());
        assertEquals(JobState.PENDING, s.job(late).state(), "a reservation counted on the drained node");
    }

    /** One node, n1, drained for a disk swap. */
    private static CoreScenario drainedN1() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        assertTrue(drain(s, "n1", "disk swap").ok());
        return s;
    }

    @Test
    void theDrainOutlastsTheNodeGoingDownAndComingBack() {
        CoreScenario s = drainedN1();
        s.clock.advance(Duration.ofSeconds(20));
        s.apply(s.core.tick());
        s.clock.advance(Duration.ofSeconds(20));
        Decisions down = s.apply(s.core.tick());
        assertEquals(NodeRecord.NodeState.DOWN, node(s, "n1").state());
        assertEquals("disk swap", down.nodes().get(0).drain().reason(), "stored DOWN with its drain");
        s.node("n1", 4);
        assertEquals(NodeRecord.NodeState.UP, node(s, "n1").state());
        assertEquals("disk swap", node(s, "n1").drain().reason());
        long j = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals("ReqNodeNotAvail", s.job(j).reason());
    }

    @Test
    void aRestartedCoreKeepsTheStoredDrain() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        NodeRecord.Drain d = new NodeRecord.Drain("disk swap", "root", s.clock.instant());
        s.core.recover(List.of(), List.of(new NodeRecord("n1", "n1", List.of(), 4, 64_000, 0,
                NodeRecord.NodeState.UP, s.clock.instant(), null, d)), 0);
        long j = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals("ReqNodeNotAvail", s.job(j).reason());
        s.node("n1", 4);
        assertEquals(d, node(s, "n1").drain(), "the first heartbeat after the restart keeps it");
    }

    @Test
    void badRequestsChangeNothingAndSayWhy() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 4);
        var unknown = s.core.nodeControl().drain(new ControlRequest.DrainNode("n9", "disk", "root"));
        assertFalse(unknown.result().ok());
        assertTrue(unknown.result().unknown());
        assertTrue(unknown.result().reason().contains("n9"), unknown.result().reason());
        assertTrue(unknown.decisions().isEmpty());
        for (String blank : new String[] {null, "", "   "}) {
            var o = s.core.nodeControl().drain(new ControlRequest.DrainNode("n1", blank, "root"));
            assertFalse(o.result().ok());
            assertTrue(o.result().reason().contains("reason: is required"), o.result().reason());
            assertTrue(o.decisions().isEmpty());
        }
        var tooLong = s.core.nodeControl().drain(new ControlRequest.DrainNode("n1", "x".repeat(NodeDrains.MAX_REASON + 1), "root"));
        assertFalse(tooLong.result().ok());
        var notDrained = s.core.nodeControl().resume(new ControlRequest.ResumeNode("n1", "root"));
        assertFalse(notDrained.result().ok());
        assertTrue(notDrained.result().reason().contains("not drained"));
        assertTrue(s.core.nodeControl().resume(new ControlRequest.ResumeNode("n9", "root")).result().unknown());
        assertNull(node(s, "n1").drain());
    }

    @Test
    void aSecondDrainReplacesTheReason() {
        CoreScenario s = drainedN1();
        s.clock.advance(Duration.ofSeconds(5));
        ClientReply.NodeResult again = drain(s, "n1", "disk swap, then BIOS");
        assertTrue(again.ok());
        assertEquals("disk swap, then BIOS", node(s, "n1").drain().reason());
        assertNotNull(node(s, "n1").drain().since());
    }
}
