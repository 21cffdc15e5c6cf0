package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol suspend and resume, judged by the core on a fake clock. */
class JobSuspensionTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
    private final JobControl control = s.core.control();

    private JobControl.Outcome<ClientReply.ControlResult> suspend(long job) {
        return s.suspend(job);
    }

    private JobControl.Outcome<ClientReply.ControlResult> resume(long job) {
        return s.resume(job);
    }

    /** A job of 600 s on two nodes, its start confirmed by its coordinator. */
    private long confirmedTwoNodeJob() {
        s.node("n1", 1);
        s.node("n2", 1);
        long job = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        confirm(job);
        assertTrue(s.job(job).launchConfirmed());
        return job;
    }

    private void confirm(long job) {
        s.confirm(job);
    }

    private static List<Object> messages(JobControl.Outcome<?> o) {
        return o.decisions().messages().stream().map(m -> (Object) m.message()).toList();
    }

    @Test
    void aRunningJobIsSuspendedOnEveryNodeThenResumedWithItsLimitMovedOnByTheTimeSuspended() {
        long job = confirmedTwoNodeJob();
        int attempt = s.job(job).attempt();
        s.clock.advance(Duration.ofSeconds(100));

        var suspended = suspend(job);

        assertTrue(suspended.result().ok(), suspended.result().toString());
        assertEquals(JobState.SUSPENDED, suspended.result().state());
        assertEquals(JobState.SUSPENDED, s.job(job).state());
        assertEquals(s.clock.instant(), s.job(job).suspendTime());
        var stop = new NodeCommand.SuspendAttempt(job, attempt);
        assertEquals(List.of(stop, stop), messages(suspended), "every node of the allocation stops its part");
        assertEquals(JobState.RUNNING, s.changes.get(s.changes.size() - 1).previous());

        s.clock.advance(Duration.ofMillis(250_400));
        var resumed = resume(job);

        assertTrue(resumed.result().ok(), resumed.result().toString());
        assertEquals(JobState.RUNNING, s.job(job).state());
        assertEquals(250_400, s.job(job).suspendedMillis());
        assertEquals(s.clock.instant(), s.job(job).suspendTime());
        var go = new NodeCommand.ResumeAttempt(job, attempt, 600L + 251);
        assertEquals(List.of(go, go), messages(resumed), "the limit counts from the start, suspended time added");
        assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.SUSPENDED, JobState.RUNNING),
                replayed(job));
    }

    /** The states of the job's changes, the first being its admission's PENDING, replayed through the table. */
    private List<JobState> replayed(long job) {
        List<JobState> states = new java.util.ArrayList<>(List.of(JobState.PENDING));
        s.changes.stream().filter(c -> c.job().id() == job && c.movesState()).forEach(c -> states.add(c.job()
                .state()));
        assertEquals(s.job(job).state(), JobTransitions.replay(job, states));
        return states;
    }

    @Test
    void theTimeLimitDoesNotCountSuspendedTime() {
        long job = confirmedTwoNodeJob();
        s.clock.advance(Duration.ofSeconds(500));
        suspend(job);
        s.clock.advance(Duration.ofSeconds(1000));
        JobRecord j = s.job(job);
        assertEquals(j.startTime().plusSeconds(1000), j.limitStart(s.clock.instant()),
                "while suspended its limit's start moves on with the clock");
        resume(job);
        s.clock.advance(Duration.ofSeconds(50));

        var outcome = control.update(new ControlRequest.UpdateJob(job, null, 560L, null, null, null));
        s.apply(outcome.decisions());

        assertEquals(JobState.RUNNING, s.job(job).state(), "550 s run of a 560 s limit: 1500 s since its start");
        assertEquals(List.of(new NodeCommand.SetTimeLimit(job, j.attempt(), 1560)), messages(outcome));

        s.clock.advance(Duration.ofSeconds(10));
        var passed = control.update(new ControlRequest.UpdateJob(job, null, 559L, null, null, null));
        s.apply(passed.decisions());
        assertEquals(JobState.COMPLETING, s.job(job).state(), "560 s run now, past a limit of 559 s");
    }

    @Test
    void refusalsChangeNothingAndCarryTheJobsState() {
        s.node("n1", 1);
        long running = s.submit(CoreScenario.spec());
        long pending = s.submit(CoreScenario.spec());
        s.schedule();

        var notConfirmed = suspend(running);
        assertFalse(notConfirmed.result().ok());
        assertEquals(JobState.RUNNING, notConfirmed.result().state());
        assertTrue(notConfirmed.decisions().isEmpty());

        confirm(running);
        var notSuspended = resume(running);
        assertFalse(notSuspended.result().ok());
        assertEquals(JobState.RUNNING, notSuspended.result().state());
        assertEquals("job " + running + " is not suspended", notSuspended.result().reason());
        assertTrue(notSuspended.decisions().isEmpty());

        var isPending = suspend(pending);
        assertFalse(isPending.result().ok());
        assertEquals(JobState.PENDING, isPending.result().state());
        assertEquals("job " + pending + " is pending execution", isPending.result().reason());

        var unknown = suspend(999);
        assertFalse(unknown.result().ok());
        assertNull(unknown.result().state());

        suspend(running);
        var again = suspend(running);
        assertTrue(again.result().ok(), "as in Slurm, suspending a suspended job is no error");
        assertTrue(again.decisions().isEmpty());

        s.apply(control.cancel(new ControlRequest.CancelJob(running)).decisions());
        var stopping = resume(running);
        assertFalse(stopping.result().ok());
        assertEquals(JobState.COMPLETING, stopping.result().state());
    }

    @Test
    void aCancelledSuspendedJobIsKilledAndItsSuspendedTimeKept() {
        long job = confirmedTwoNodeJob();
        s.clock.advance(Duration.ofSeconds(30));
        suspend(job);
        s.clock.advance(Duration.ofSeconds(70));

        var cancel = control.cancel(new ControlRequest.CancelJob(job));
        s.apply(cancel.decisions());

        assertEquals(JobState.COMPLETING, s.job(job).state());
        assertEquals(70_000, s.job(job).suspendedMillis());
        var kill = new NodeCommand.KillJob(job, s.job(job).attempt(), JobState.CANCELLED);
        assertEquals(List.of(kill, kill), messages(cancel));
        s.killed(job, JobState.CANCELLED);
        assertEquals(JobState.CANCELLED, s.job(job).state());
        assertEquals(70_000, s.job(job).suspendedMillis(), "sacct's Suspended");
        replayed(job);
    }

    @Test
    void aSuspendedJobThatIsRequeuedIsHeldAsInSlurm() {
        long job = confirmedTwoNodeJob();
        suspend(job);

        s.apply(control.requeue(new ControlRequest.RequeueJob(job, null, false)).decisions());
        s.killed(job, JobState.REQUEUED);

        assertEquals(JobState.PENDING, s.job(job).state());
        assertEquals(JobSpec.HOLD_USER, s.job(job).spec().hold());
        assertEquals(0, s.job(job).suspendedMillis(), "not started again yet; its next attempt starts afresh");
    }

    @Test
    void aSuspendedJobOnANodeThatIsLostIsRequeuedAndAHeadRestartSendsItsSuspendAgain() {
        long job = confirmedTwoNodeJob();
        suspend(job);
        JobRecord stored = s.job(job);

        CoreScenario restarted = new CoreScenario(PlacementPolicy.Kind.EASY);
        Decisions recovered = restarted.core.recover(List.of(stored), List.of(), job);
        var stop = new NodeCommand.SuspendAttempt(job, stored.attempt());
        assertEquals(List.of(stop, stop), recovered.messages().stream().map(m -> (Object) m.message()).toList());

        s.clock.advance(Duration.ofMinutes(5));
        s.node("n1", 1);
        s.apply(s.core.tick());
        assertTrue(s.job(job).state() == JobState.PENDING || s.job(job).state() == JobState.NODE_FAIL,
                "lost with its node n2: " + s.job(job).state());
        replayed(job);
    }
}
