package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A heartbeat is refused when its host name cannot go in a hostfile or host list, or belongs to another node that
 * is up (a cloned machine): the node is not added, jobs are not placed there, and the head warns once.
 */
class NodeHostNameRefusalTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private Decisions heartbeat(String id, String hostname) {
        return s.apply(s.core.onRunnerEvent(new RunnerEvent.NodeHeartbeat(id, hostname, List.of(), 2, 64_000, 0,
                List.of(), s.clock.instant())));
    }

    private Map<String, NodeRecord.NodeState> states() {
        return s.core.nodes().stream().collect(Collectors.toMap(NodeRecord::id, NodeRecord::state));
    }

    @Test
    void aHostNameNoHostfileCanHoldKeepsTheNodeOutWithOneWarning() {
        for (String bad : List.of("odd,name=x", "node:1", "under_score")) {
            String id = "bad-" + Integer.toHexString(bad.hashCode());
            Decisions first = heartbeat(id, bad);
            assertTrue(first.nodes().isEmpty(), bad);
            assertEquals(1, first.warnings().size(), bad);
            assertTrue(first.warnings().get(0).contains(id) && first.warnings().get(0).contains("'" + bad + "'"),
                    first.warnings().get(0));
            assertTrue(heartbeat(id, bad).warnings().isEmpty(), "warned of once, not every heartbeat");
        }
        assertEquals(Map.of(), states());
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.PENDING, s.job(job).state(), "no job is placed on a refused node");
    }

    @Test
    void aSecondUpNodeWithTheSameHostNameIsRefusedNamingBoth() {
        heartbeat("twin-1111", "twin");
        Decisions d = heartbeat("twin-2222", "Twin");
        assertTrue(d.nodes().isEmpty());
        assertEquals(1, d.warnings().size());
        String warning = d.warnings().get(0);
        assertTrue(warning.contains("twin-1111") && warning.contains("twin-2222"), warning);
        assertTrue(heartbeat("twin-2222", "Twin").warnings().isEmpty());
        assertTrue(heartbeat("twin-1111", "twin").warnings().isEmpty(), "the first node goes on as before");
        assertEquals(Map.of("twin-1111", NodeRecord.NodeState.UP), states());

        long pair = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(pair).state(), "one allocation never holds both twins");
    }

    @Test
    void aNodeTakesOverTheNameOfADownRecordAndTheOldOneIsThenRefused() {
        heartbeat("old-1111", "box");
        s.clock.advance(Duration.ofSeconds(31));
        s.apply(s.core.tick());
        assertEquals(Map.of("old-1111", NodeRecord.NodeState.DOWN), states());

        Decisions joined = heartbeat("new-2222", "box");
        assertTrue(joined.warnings().isEmpty());
        assertEquals(Map.of("old-1111", NodeRecord.NodeState.DOWN, "new-2222", NodeRecord.NodeState.UP), states());
        long named = s.submit(CoreScenario.spec().nodelist(List.of("box")));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(named).state(), "the old DOWN record does not hold the name back");
        assertEquals("new-2222", s.job(named).allocation().coordinator().nodeId());

        Decisions back = heartbeat("old-1111", "box");
        assertEquals(1, back.warnings().size(), "the old machine, back, is now the second");
        assertEquals(NodeRecord.NodeState.DOWN, states().get("old-1111"));
    }
}
