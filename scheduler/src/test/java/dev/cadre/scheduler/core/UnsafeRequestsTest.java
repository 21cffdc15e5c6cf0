package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests and events as any client or node could send them over the bus, unchecked by the web: what would make
 * the core throw on every pass, or let a job bypass a rule, is refused with a reason and changes nothing.
 */
class UnsafeRequestsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private JobControl.Outcome<ClientReply.ControlResult> update(long job, Long limit, Long priority, Integer nice,
            String name) {
        return s.core.control().update(new ControlRequest.UpdateJob(job, null, limit, priority, nice, name));
    }

    private void assertRefusedUnchanged(JobControl.Outcome<ClientReply.ControlResult> o, long job, JobRecord before,
            String naming) {
        assertFalse(o.result().ok(), o.result().toString());
        assertTrue(o.result().reason().contains(naming), o.result().reason());
        assertTrue(o.decisions().isEmpty());
        s.apply(o.decisions());
        assertEquals(before, s.job(job));
        assertEquals(before, s.core.job(job).orElseThrow());
    }

    @Test
    void anUpdateTheSubmissionChecksWouldRefuseIsRefusedAndChangesNothing() {
        s.node("n1", 8);
        s.node("n2", 8);
        long job = s.submit(CoreScenario.spec().stdout("%x.out").hold("user"));
        JobRecord before = s.job(job);
        // 4e18 seconds: the time arithmetic of the next pass would throw, on every pass, after every restart.
        assertRefusedUnchanged(update(job, 4_000_000_000_000_000_000L, null, null, null), job, before,
                "timeLimitSeconds: must be between 1 and 31622400");
        assertRefusedUnchanged(update(job, -1L, null, null, null), job, before, "timeLimitSeconds");
        assertRefusedUnchanged(update(job, null, null, null, "../../root/.ssh/x"), job, before,
                "stdout: is opened as '/tmp/../../root/.ssh/x.out'");
        assertRefusedUnchanged(update(job, null, null, 20_000, null), job, before, "nice: is 20000");
        assertRefusedUnchanged(update(job, null, 2_000_000_000L, null, null), job, before, "priority: is");
        assertRefusedUnchanged(update(job, null, -5L, null, null), job, before, "priority: is -5");
        assertRefusedUnchanged(update(job, null, null, null, null), job, before, "nothing to update");
        s.apply(s.core.control().release(new ControlRequest.ReleaseJob(job, null, false)).decisions());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state());
    }

    @Test
    void aWholeArrayIsUpdatedOnlyIfEveryPendingPartMayBe() {
        long array = s.submit(CoreScenario.spec().array("0-3"));
        s.apply(update(array, 60L, null, null, null).decisions());
        long task = s.stored.values().stream().filter(j -> j.id() != array).findFirst().map(JobRecord::id)
                .orElse(-1L);
        assertEquals(-1L, task, "a whole-array update splits nothing off");
        var split = s.core.control().update(new ControlRequest.UpdateJob(array, 2, 120L, null, null, null));
        s.apply(split.decisions());
        assertTrue(split.result().ok());
        var refused = update(array, null, null, 99_999, null);
        assertFalse(refused.result().ok());
        assertTrue(refused.decisions().isEmpty());
        assertTrue(s.stored.values().stream().allMatch(j -> j.spec().nice() == null));
    }

    @Test
    void validUpdatesStillApplyAndMinusOneComputesThePriorityAgain() {
        long job = s.submit(CoreScenario.spec().priority(5L));
        var o = update(job, 120L, -1L, -10, "renamed");
        s.apply(o.decisions());
        assertTrue(o.result().ok());
        assertEquals(120L, s.job(job).spec().timeLimitSeconds());
        assertNull(s.job(job).spec().priority());
        assertEquals(-10, s.job(job).spec().nice());
        assertEquals("renamed", s.job(job).name());
    }

    /**
     * Limits stored before updates were checked: the pass plans them as at least a second (the node ends such a
     * job at once) and at most {@link Release#UNLIMITED}, and keeps going.
     */
    @Test
    void aLimitStoredOutOfRangeDoesNotBreakThePass() {
        s.node("n1", 4);
        s.submit(CoreScenario.spec().tasks(2));
        s.schedule();
        long big = s.submit(CoreScenario.spec().tasks(4));
        long huge = s.submit(CoreScenario.spec().tasks(1).timeLimitSeconds(4_000_000_000_000_000_000L));
        long negative = s.submit(CoreScenario.spec().tasks(1).timeLimitSeconds(-5L));
        s.schedule();
        assertEquals("Resources", s.job(big).reason());
        assertEquals("Priority", s.job(huge).reason(), "planned as a year, it would delay the reserved job");
        assertEquals(JobState.RUNNING, s.job(negative).state(), "planned as a second, it delays nobody");
        assertEquals(Release.UNLIMITED, Release.limitOf(s.job(huge).spec()));
    }

    @Test
    void aKillReasonNoKillIsMadeForIsRefusedBeforeAnythingChanges() {
        s.node("n1", 4);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        JobRecord running = s.job(job);
        for (JobState bogus : List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED, JobState.FAILED)) {
            var event = new RunnerEvent.RunnerFinished(job, running.attempt(), "n1", 0, 0, bogus,
                    s.clock.instant(), null);
            var e = assertThrows(IllegalArgumentException.class, () -> s.core.onRunnerEvent(event));
            assertTrue(e.getMessage().contains("killedFor " + bogus), e.getMessage());
            assertEquals(running, s.core.job(job).orElseThrow());
        }
        s.killed(job, JobState.TIMEOUT);
        assertEquals(JobState.TIMEOUT, s.job(job).state());
    }
}
