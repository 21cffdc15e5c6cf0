package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * scontrol update StartTime= and Dependency= of a pending job: judged by the pass after as a submission's are
 * (reasons BeginTime and Dependency, DependencyNeverSatisfied ends it), refused whole for a job that does not exist,
 * the job itself or a circle (docs/protocol.md 5.5). A fake clock decides.
 */
class BeginAndDependencyUpdateTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private JobControl.Outcome<ClientReply.ControlResult> update(long job, Instant begin, String dependency) {
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(job, null, null, null, null, null, null,
                null, null, begin, dependency));
        s.apply(outcome.decisions());
        return outcome;
    }

    /** A job that waits: held, so that an update finds it pending, then released by the test. */
    private long heldJob() {
        return s.submit(CoreScenario.spec().hold(JobSpec.HOLD_USER));
    }

    private void release(long id) {
        s.apply(s.core.control().release(new ControlRequest.ReleaseJob(id, null, false)).decisions());
    }

    @Test
    void aLaterStartTimeKeepsTheJobWaitingUntilThenAndNowLetsItGo() {
        s.node("n1", 8);
        long id = heldJob();
        Instant later = s.clock.instant().plus(Duration.ofHours(1));

        var outcome = update(id, later, null);
        release(id);
        s.schedule();

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals(later, s.job(id).spec().beginTime());
        var event = (JobEvent.JobUpdated) JobUpdates.of(outcome.decisions(), s.clock.instant()).get(0);
        assertEquals(later, event.beginTime());
        assertEquals(JobState.PENDING, s.job(id).state());
        assertEquals("BeginTime", s.job(id).reason());

        assertTrue(update(id, s.clock.instant(), null).result().ok());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
    }

    @Test
    void theBeginTimeComesAndTheJobStarts() {
        s.node("n1", 8);
        long id = s.submit(CoreScenario.spec().beginTime(s.clock.instant().plus(Duration.ofDays(1))));
        s.schedule();
        assertEquals("BeginTime", s.job(id).reason());

        update(id, s.clock.instant().plus(Duration.ofMinutes(5)), null);
        s.clock.advance(Duration.ofMinutes(4));
        s.schedule();
        assertEquals("BeginTime", s.job(id).reason());
        s.clock.advance(Duration.ofMinutes(1));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(id).state());
    }

    @Test
    void aNewDependencyWaitsForItsJobAndAnEmptyOneRemovesIt() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec());
        s.schedule();
        long second = heldJob();

        var outcome = update(second, null, "afterok:" + first);
        release(second);
        s.schedule();

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals("afterok:" + first, s.job(second).spec().dependency());
        assertEquals("Dependency", s.job(second).reason());
        assertTrue(update(second, null, "").result().ok());
        assertNull(s.job(second).spec().dependency());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(second).state());
    }

    @Test
    void aDependencyOnAJobThatEndedIsJudgedAtOnce() {
        s.node("n1", 8);
        long failed = s.submit(CoreScenario.spec());
        long done = s.submit(CoreScenario.spec());
        s.schedule();
        s.finish(failed, 3);
        s.finish(done, 0);
        long waits = heldJob();
        long hopeless = heldJob();

        update(waits, null, "afterok:" + done);
        update(hopeless, null, "afterok:" + failed);
        release(waits);
        release(hopeless);
        s.schedule();

        assertEquals(JobState.RUNNING, s.job(waits).state());
        assertEquals(JobState.CANCELLED, s.job(hopeless).state());
        assertEquals("DependencyNeverSatisfied", s.job(hopeless).reason());
    }

    @Test
    void anUnknownJobTheJobItselfACircleAndBadSyntaxAreRefusedChangingNothing() {
        s.node("n1", 8);
        long a = heldJob();
        long b = heldJob();
        assertTrue(update(b, null, "afterany:" + a).result().ok());
        long array = s.submit(CoreScenario.spec().array("1-4").hold(JobSpec.HOLD_USER));

        String[][] cases = {
            {String.valueOf(a), "afterok:999", "names job 999, which does not exist"},
            {String.valueOf(a), "afterok:" + a, "names job " + a + " itself"},
            {String.valueOf(array), "afterok:" + array + "_2", "names job " + array + " itself"},
            {String.valueOf(a), "afterok:" + b, "job " + b + " waits for job " + a + " already"},
            {String.valueOf(a), "afterwards:" + b, "dependency: "},
        };
        for (String[] c : cases) {
            var outcome = s.core.control().update(new ControlRequest.UpdateJob(Long.parseLong(c[0]), null, null, null,
                    50, null, null, null, null, null, c[1]));
            assertFalse(outcome.result().ok(), c[1]);
            assertTrue(outcome.result().reason().contains(c[2]), outcome.result().reason());
            assertTrue(outcome.decisions().isEmpty(), c[1]);
        }
        assertNull(s.job(a).spec().dependency());
        assertNull(s.job(a).spec().nice());
        assertNull(s.job(array).spec().dependency());
    }

    @Test
    void aRunningJobTakesNeitherAndNothingChanges() {
        s.node("n1", 8);
        long id = s.submit(CoreScenario.spec());
        s.schedule();

        var begin = update(id, s.clock.instant().plus(Duration.ofHours(1)), null);
        var dependency = update(id, null, "singleton");

        for (var o : java.util.List.of(begin, dependency)) {
            assertFalse(o.result().ok());
            assertEquals(JobState.RUNNING, o.result().state());
            assertTrue(o.result().reason().contains("only pending jobs can be updated"), o.result().reason());
        }
        assertNull(s.job(id).spec().beginTime());
    }
}
