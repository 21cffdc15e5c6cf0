package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import org.junit.jupiter.api.Test;

/** The core tells the dispatcher whether jobs wait for room: only then may what it sends wait to share messages. */
class BacklogTest {
    @Test
    void anEmptyQueueIsNoBacklog() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
        s.node("n1", 2);
        s.schedule();
        assertFalse(s.core.backlogged());
    }

    @Test
    void jobsThatAllStartAtOnceLeaveNoBacklog() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
        s.node("n1", 2);
        long a = s.submit(CoreScenario.spec());
        long b = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(a).state());
        assertEquals(JobState.RUNNING, s.job(b).state());
        assertFalse(s.core.backlogged());
    }

    @Test
    void eachPolicySaysSoWhileAJobWaitsForRoomAndNoLongerOnceItStarts() {
        for (PlacementPolicy.Kind policy : PlacementPolicy.Kind.values()) {
            CoreScenario s = new CoreScenario(policy);
            s.node("n1", 1);
            long first = s.submit(CoreScenario.spec());
            long second = s.submit(CoreScenario.spec());
            s.schedule();
            assertEquals("Resources", s.job(second).reason(), policy.name());
            assertTrue(s.core.backlogged(), policy + ": a job waits for room");

            s.finish(first, 0);
            s.schedule();
            assertEquals(JobState.RUNNING, s.job(second).state(), policy.name());
            assertFalse(s.core.backlogged(), policy + ": nothing waits any more");
        }
    }

    @Test
    void aHeldJobIsNoBacklog() {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
        s.node("n1", 1);
        s.submit(CoreScenario.spec().hold("user"));
        s.schedule();
        assertFalse(s.core.backlogged(), "a held job does not wait for room");
    }
}
