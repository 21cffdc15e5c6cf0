package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When a job became eligible, as sacct's Eligible shows it: the moment its hold was released or its dependency
 * found satisfied, stored with the change that moment makes anyway and kept through its start and end.
 */
class EligibleTimeTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    /** A one-core node that a job holds, and a held job (the id returned) behind it: the running one is id - 1. */
    private long heldBehindARunningJob() {
        s.node("n1", 1);
        s.submit(CoreScenario.spec());
        long held = s.submit(CoreScenario.spec().hold(JobSpec.HOLD_USER));
        s.schedule();
        return held;
    }

    @Test
    void aReleasedJobIsEligibleFromItsReleaseThroughItsEnd() {
        long held = heldBehindARunningJob();
        long blocker = held - 1;
        s.clock.advance(Duration.ofSeconds(30));
        Instant released = s.clock.instant();
        assertTrue(s.apply(s.core.control().release(new ControlRequest.ReleaseJob(held, null, false)).decisions())
                .changes().stream().anyMatch(c -> released.equals(c.job().eligibleTime())), "stored with the"
                + " release's own change");
        s.clock.advance(Duration.ofSeconds(30));
        s.schedule();
        assertEquals("Resources", s.job(held).reason());
        s.finish(blocker, 0);
        s.clock.advance(Duration.ofSeconds(5));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(held).state());
        assertEquals(released, s.job(held).eligibleTime());
        s.finish(held, 0);
        assertEquals(JobState.COMPLETED, s.job(held).state());
        assertEquals(released, s.job(held).eligibleTime());
    }

    @Test
    void aJobWaitingOnADependencyIsEligibleFromThePassThatFindsItSatisfied() {
        s.node("n1", 1);
        long first = s.submit(CoreScenario.spec());
        long blocker = s.submit(CoreScenario.spec());
        long later = s.submit(CoreScenario.spec().dependency("afterok:" + first));
        s.schedule();
        assertEquals("Dependency", s.job(later).reason());
        int changesBefore = s.changes.size();
        s.clock.advance(Duration.ofSeconds(10));
        s.schedule();
        assertEquals(changesBefore, s.changes.size(), "no write while nothing changes");
        s.clock.advance(Duration.ofSeconds(50));
        s.finish(first, 0);
        Instant satisfied = s.clock.instant();
        s.schedule();
        // The blocker took the node: eligible now, though it waits for room.
        assertEquals(JobState.RUNNING, s.job(blocker).state());
        assertEquals(satisfied, s.job(later).eligibleTime());
        s.clock.advance(Duration.ofSeconds(20));
        s.schedule();
        assertEquals(satisfied, s.job(later).eligibleTime(), "set once, at the transition");
        s.finish(blocker, 0);
        s.schedule();
        s.finish(later, 0);
        assertEquals(satisfied, s.job(later).eligibleTime());
    }

    @Test
    void aJobNeverHeldBackHasNoEligibleTimeOfItsOwnAndAReleasedOneKeepsThePlainOrder() {
        long held = heldBehindARunningJob();
        assertNull(s.job(held - 1).eligibleTime());
        s.apply(s.core.control().release(new ControlRequest.ReleaseJob(held, null, false)).decisions());
        // Before any attempt an eligible time is a past moment, not a backoff: it holds nothing back.
        assertFalse(Eligibility.mayBeHeldBack(s.job(held)));
    }
}
