package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol hold, release and requeue, and scancel, as they meet one another. */
class HoldsAndRequeuesTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
    private final JobControl control = s.core.control();

    @Test
    void aUserHoldLeavesAnAdministratorsHoldAsItIs() {
        s.node("n1", 8);
        long job = s.submit(CoreScenario.spec().hold(JobSpec.HOLD_ADMIN));
        var hold = control.hold(new ControlRequest.HoldJob(job, null, false));
        assertFalse(hold.result().ok());
        assertTrue(hold.result().reason().contains("held by an administrator"), hold.result().reason());
        assertTrue(hold.decisions().isEmpty());
        s.apply(hold.decisions());
        var release = control.release(new ControlRequest.ReleaseJob(job, null, false));
        assertFalse(release.result().ok(), "still the administrator's hold");
        s.apply(release.decisions());
        s.schedule();
        assertEquals(JobState.PENDING, s.job(job).state());
        assertEquals("JobHeldAdmin", s.job(job).reason());
        s.apply(control.release(new ControlRequest.ReleaseJob(job, null, true)).decisions());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state());
    }

    @Test
    void anAdministratorsHoldReplacesAUsersHold() {
        long job = s.submit(CoreScenario.spec().hold(JobSpec.HOLD_USER));
        var hold = control.hold(new ControlRequest.HoldJob(job, null, true));
        s.apply(hold.decisions());
        assertTrue(hold.result().ok());
        assertEquals(JobSpec.HOLD_ADMIN, s.job(job).spec().hold());
        assertEquals("JobHeldAdmin", s.job(job).reason());
    }

    @Test
    void aCancelWhileTheJobIsBeingRequeuedEndsItCancelled() {
        s.node("n1", 8);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        s.apply(control.requeue(new ControlRequest.RequeueJob(job, null, false)).decisions());
        int sentBefore = s.sent.size();
        var cancel = control.cancel(new ControlRequest.CancelJob(job));
        s.apply(cancel.decisions());
        assertTrue(cancel.result().ok());
        assertEquals(JobState.COMPLETING, cancel.result().state());
        assertNull(cancel.result().reason());
        assertEquals("CANCELLED", s.job(job).reason());
        assertEquals(List.of(new NodeCommand.KillJob(job, 1, JobState.CANCELLED)),
                s.sent.subList(sentBefore, s.sent.size()));
        // The node kept the reason of the first kill.
        s.killed(job, JobState.REQUEUED);
        s.schedule();
        assertEquals(JobState.CANCELLED, s.job(job).state());
        assertEquals(1, s.job(job).attempt());
    }

    /**
     * The attempt limit is a budget for node failures: a requeue the user asked for (Slurm's scontrol requeue)
     * does not spend it, nor does it lengthen the backoff after a failure.
     */
    @Test
    void requeuesByRequestDoNotSpendTheNodeFailureBudget() {
        s.node("n1", 8);
        long job = s.submit(CoreScenario.spec().maxAttempts(2));
        s.schedule();
        for (int i = 0; i < 3; i++) {
            s.apply(control.requeue(new ControlRequest.RequeueJob(job, null, false)).decisions());
            s.killed(job, JobState.REQUEUED);
            s.schedule();
        }
        assertEquals(JobState.RUNNING, s.job(job).state());
        assertEquals(4, s.job(job).attempt());
        // The node falls silent past its timeout: the first failure, with one attempt left, requeues.
        s.clock.advance(Duration.ofSeconds(60));
        s.apply(s.core.tick());
        assertEquals(JobState.PENDING, s.job(job).state());
        assertEquals("BeginTime", s.job(job).reason());
        assertEquals(s.clock.instant().plusSeconds(10), s.job(job).eligibleTime(),
                "the first failure waits the base backoff: the user's requeues do not double it");
        s.clock.advance(Duration.ofMinutes(5));
        s.node("n1", 8);
        s.schedule();
        assertEquals(5, s.job(job).attempt());
        // Ticking as the scheduler does: a single tick minutes after the last would be the head's own silence.
        for (int second = 0; second <= 31; second++) {
            s.apply(s.core.tick());
            s.clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(JobState.NODE_FAIL, s.job(job).state(), "the second failure spends the budget of two");
    }
}
