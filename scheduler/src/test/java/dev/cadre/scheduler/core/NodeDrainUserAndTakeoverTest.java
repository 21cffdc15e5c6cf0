package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Review 74: a drain's user is one bounded line, as a job's user is; a machine that comes back under a new node id
 * keeps the drain of its old record; and a host name shared by several records drains and resumes them all.
 */
class NodeDrainUserAndTakeoverTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(String id, String hostname) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, hostname, List.of(), 2, 64_000, 0,
                List.of(), s.clock.instant())));
    }

    private ClientReply.NodeResult drain(String node, String user) {
        var o = s.core.nodeControl().drain(new ControlRequest.DrainNode(node, "disk swap", user));
        s.apply(o.decisions());
        return o.result();
    }

    private Map<String, NodeRecord.Drain> drains() {
        return s.core.nodes().stream().filter(n -> n.drain() != null)
                .collect(Collectors.toMap(NodeRecord::id, NodeRecord::drain));
    }

    /** Past the 30 s node timeout with no word from the node. */
    private void silence() {
        s.clock.advance(Duration.ofSeconds(20));
        s.apply(s.core.tick());
        s.clock.advance(Duration.ofSeconds(20));
        s.apply(s.core.tick());
    }

    @Test
    void aUserThatIsNotOneBoundedLineIsRefusedAndChangesNothing() {
        heartbeat("n1-1111", "n1");
        for (String bad : new String[] {"evil\nNodeName=fake State=IDLE", "a\u0000b", "x".repeat(200_000), " ",
                ""}) {
            ClientReply.NodeResult r = drain("n1", bad);
            assertFalse(r.ok(), bad.length() > 40 ? "a long user" : bad);
            assertFalse(r.unknown());
            assertTrue(r.reason().startsWith("user must be a user name"), r.reason());
            var resume = s.core.nodeControl().resume(new ControlRequest.ResumeNode("n1", bad));
            assertFalse(resume.result().ok());
            assertTrue(resume.decisions().nodes().isEmpty());
        }
        assertEquals(Map.of(), drains());
        ClientReply.NodeResult noNode = drain(null, "root");
        assertFalse(noNode.ok());
        assertFalse(noNode.unknown(), "a request without a node is bad, not about an unknown node");

        assertTrue(drain("n1", "first.last@site").ok());
        assertEquals("first.last@site", drains().get("n1-1111").user());
    }

    @Test
    void aNodeLongerThanAnyNodeIdIsRefusedAndNotEchoedWhole() {
        heartbeat("n1-1111", "n1");
        String hostile = "v".repeat(900_000);
        List<JobControl.Outcome<ClientReply.NodeResult>> answers = List.of(
                s.core.nodeControl().drain(new ControlRequest.DrainNode(hostile, "disk swap", "root")),
                s.core.nodeControl().drain(new ControlRequest.DrainNode(hostile, null, "root")),
                s.core.nodeControl().resume(new ControlRequest.ResumeNode(hostile, "root")),
                s.core.nodeControl().delete(new ControlRequest.DeleteNode(hostile, "root")));
        for (var o : answers) {
            assertFalse(o.result().ok());
            assertFalse(o.result().unknown(), "a bad request, not one about an unknown node");
            assertTrue(o.result().reason().startsWith("node: is 900000 characters long; a host name has at most 253"),
                    o.result().reason());
            assertTrue(MessageCodec.encode(o.result()).length() < 1000, "the answer is small: "
                    + MessageCodec.encode(o.result()).length());
            assertTrue(o.decisions().nodes().isEmpty() && o.decisions().forgotten().isEmpty());
        }
        ClientReply.NodeResult longestId = drain("h".repeat(253) + "-0123abcd", "root");
        assertTrue(longestId.unknown(), "a node id of the longest host name is looked up: " + longestId.reason());
        assertFalse(drain("h".repeat(263), "root").unknown(), "one character more is refused");
        assertEquals(Map.of(), drains());
    }

    @Test
    void deleteNodeRefusesAUserThatIsNotOneBoundedLine() {
        heartbeat("gone-1111", "gone");
        silence();
        var o = s.core.nodeControl().delete(new ControlRequest.DeleteNode("gone", "root\nx"));
        assertFalse(o.result().ok());
        assertTrue(o.decisions().forgotten().isEmpty());
        assertTrue(s.core.nodeControl().delete(new ControlRequest.DeleteNode("gone", "root")).result().ok());
    }

    @Test
    void aNewNodeIdTakingOverADrainedDownNodesNameKeepsTheDrainAndTakesNoJob() {
        heartbeat("n3-aaaa", "n3");
        assertTrue(drain("n3", "root").ok());
        silence();
        Decisions joined = heartbeat("n3-bbbb", "n3");
        NodeRecord.Drain old = drains().get("n3-aaaa");
        assertEquals(old, drains().get("n3-bbbb"), "the machine is still drained under its new id");
        assertEquals(old, joined.nodes().get(0).drain(), "stored with the new record");
        assertTrue(joined.warnings().stream().anyMatch(w -> w.contains("takes over host name n3")),
                joined.warnings().toString());

        long job = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.PENDING, s.job(job).state(), "the drained machine takes no job");

        // Resume by the shared name: the operator means the machine, so every record of the name.
        var resumed = s.core.nodeControl().resume(new ControlRequest.ResumeNode("n3", "root"));
        s.apply(resumed.decisions());
        assertTrue(resumed.result().ok(), resumed.result().reason());
        assertEquals(Map.of(), drains());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state());

        assertTrue(drain("n3", "root").ok(), "a drain by the shared name is taken too");
        assertEquals(List.of("n3-aaaa", "n3-bbbb"), drains().keySet().stream().sorted().toList());
    }

    @Test
    void aNewNodeIdTakingOverAnUndrainedNameIsNotDrained() {
        heartbeat("n4-aaaa", "n4");
        silence();
        heartbeat("n4-bbbb", "n4");
        assertNull(s.core.nodes().stream().filter(n -> n.id().equals("n4-bbbb")).findFirst().orElseThrow().drain());
    }
}
