package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * scontrol delete NodeName=N in the core: a DOWN node that holds no job is forgotten (and its deletion decided, for
 * the store and the event); an UP node, one still holding a job, and an unknown name change nothing and say why.
 */
class NodeDeletionTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(String id, String hostname, List<RunnerEvent.RunningAttempt> running) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, hostname, List.of(), 2, 64_000, 0,
                running, s.clock.instant())));
    }

    private JobControl.Outcome<ClientReply.NodeResult> delete(String node) {
        var o = s.core.nodeControl().delete(new ControlRequest.DeleteNode(node, "root"));
        s.apply(o.decisions());
        return o;
    }

    private Map<String, NodeRecord.NodeState> states() {
        return s.core.nodes().stream().collect(Collectors.toMap(NodeRecord::id, NodeRecord::state));
    }

    /** Past the 30 s node timeout with no word from the node. */
    private void silence() {
        s.clock.advance(Duration.ofSeconds(20));
        s.apply(s.core.tick());
        s.clock.advance(Duration.ofSeconds(20));
    }

    @Test
    void theDownRecordANodeLeftUnderItsOldIdIsForgottenByHostNameAndTheUpOneStays() {
        heartbeat("box-1111", "box", List.of());
        silence();
        s.apply(s.core.tick());
        heartbeat("box-2222", "box", List.of());
        assertEquals(Map.of("box-1111", NodeRecord.NodeState.DOWN, "box-2222", NodeRecord.NodeState.UP), states());

        var o = delete("box");
        assertTrue(o.result().ok(), o.result().reason());
        assertEquals("box-1111", o.result().nodeId());
        assertEquals(List.of("box-1111"), o.decisions().forgotten().stream().map(NodeRecord::id).toList(),
                "the writer deletes it from the store and publishes node-deleted");
        assertTrue(o.decisions().nodes().isEmpty(), "the UP node is not touched");
        assertEquals(Map.of("box-2222", NodeRecord.NodeState.UP), states());

        long named = s.submit(CoreScenario.spec().nodelist(List.of("box")));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(named).state());
    }

    @Test
    void aNodeIsDeletedByItsIdAndRegistersAnewWhenItComesBack() {
        heartbeat("gone-1111", "gone", List.of());
        silence();
        s.apply(s.core.tick());
        assertTrue(delete("gone-1111").result().ok());
        assertEquals(Map.of(), states());
        assertFalse(delete("gone").result().ok(), "forgotten: no node has the name now");
        assertTrue(delete("gone").result().unknown());

        Decisions back = heartbeat("gone-1111", "gone", List.of());
        assertEquals(1, back.nodes().size(), "a node-runner started again is stored anew");
        assertEquals(Map.of("gone-1111", NodeRecord.NodeState.UP), states());
    }

    @Test
    void anUpNodeIsRefusedAndNothingChanges() {
        heartbeat("n1-1111", "n1", List.of());
        var o = delete("n1");
        assertFalse(o.result().ok());
        assertFalse(o.result().unknown());
        assertEquals("node n1 (n1-1111) is UP; only a DOWN node can be deleted: stop its node-runner, and delete"
                + " the node once it is DOWN (after the head's --node-timeout)", o.result().reason());
        assertTrue(o.decisions().isEmpty());
        assertEquals(Map.of("n1-1111", NodeRecord.NodeState.UP), states());
    }

    @Test
    void anUnknownNameIsSaidToBeUnknown() {
        var o = delete("nowhere");
        assertTrue(o.result().unknown());
        assertEquals("node nowhere is not a known node", o.result().reason());
        assertTrue(o.decisions().isEmpty());
        // scontrol prints the answer: a name with a terminal control or a bidi override comes back masked.
        var hostile = delete("n\u001b[2J\u202e1");
        assertEquals("node n?[2J?1 is not a known node", hostile.result().reason());
        assertEquals("n?[2J?1", hostile.result().node());
    }

    /**
     * A node going DOWN ends its jobs in the same decision, so a DOWN node holding a job is what a restarted head
     * can read back (the store written by another version, or by hand): the job is the one to trust.
     */
    @Test
    void aDownNodeThatStillHoldsAJobIsRefusedUntilTheJobHasEnded() {
        s.node("n1", 2);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        NodeRecord n1 = s.core.nodes().get(0);
        NodeRecord down = new NodeRecord(n1.id(), n1.hostname(), n1.addresses(), n1.cores(), n1.memoryMb(),
                n1.gpus(), NodeRecord.NodeState.DOWN, n1.lastSeen(), "Not responding", null);
        CoreScenario restarted = new CoreScenario(PlacementPolicy.Kind.FCFS);
        restarted.stored.put(job, s.job(job));
        restarted.core.recover(List.of(s.job(job)), List.of(down), job);

        var o = restarted.core.nodeControl().delete(new ControlRequest.DeleteNode("n1", "root"));
        assertFalse(o.result().ok());
        assertEquals("node n1 (n1) still holds job " + job + " (RUNNING); delete it once they have ended",
                o.result().reason());
        assertTrue(o.decisions().isEmpty());
        assertEquals(List.of(down), restarted.core.nodes());

        restarted.finish(job, 0);
        assertEquals(JobState.COMPLETED, restarted.job(job).state());
        assertTrue(restarted.core.nodeControl().delete(new ControlRequest.DeleteNode("n1", "root")).result().ok());
        assertEquals(List.of(), restarted.core.nodes());
    }

    @Test
    void aPendingJobRequiringADeletedNodeWaitsWithReqNodeNotAvailUntilANodeOfThatNameRegisters() {
        heartbeat("other-1111", "other", List.of());
        heartbeat("nodeb-1111", "nodeb", List.of());
        long named = s.submit(CoreScenario.spec().nodelist(List.of("nodeb")).nodes(1).tasks(4));
        s.schedule();
        assertEquals("Resources", s.job(named).reason(), "two cores: it waits for room on nodeb");
        s.clock.advance(java.time.Duration.ofSeconds(20));
        heartbeat("other-1111", "other", List.of());
        s.clock.advance(java.time.Duration.ofSeconds(20));
        s.apply(s.core.tick());
        s.schedule();
        assertEquals("ReqNodeNotAvail", s.job(named).reason(), "nodeb is DOWN");

        assertTrue(delete("nodeb").result().ok());
        heartbeat("other-1111", "other", List.of());
        s.schedule();
        assertEquals(JobState.PENDING, s.job(named).state());
        assertEquals("ReqNodeNotAvail", s.job(named).reason(), "no node of that name is known: nothing frees room");

        s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("nodeb-2222", "nodeb", List.of(), 8, 64_000, 0,
                List.of(), s.clock.instant())));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(named).state(), "a node of that name registered again");
    }
}
