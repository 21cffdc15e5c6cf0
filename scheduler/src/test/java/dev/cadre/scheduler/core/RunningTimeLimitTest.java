package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** scontrol update TimeLimit= on a running job: stored, planned with, enforced by its node. */
class RunningTimeLimitTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
    private final JobControl control = s.core.control();

    private JobControl.Outcome<ClientReply.ControlResult> limit(long job, Integer task, long seconds) {
        var outcome = control.update(new ControlRequest.UpdateJob(job, task, seconds, null, null, null));
        s.apply(outcome.decisions());
        return outcome;
    }

    /** A job of 600 s running alone on a node. */
    private long runningJob() {
        s.node("n1", 8);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        return job;
    }

    /** Refused, with nothing decided. */
    private static void refusedUnchanged(JobControl.Outcome<ClientReply.ControlResult> outcome) {
        assertFalse(outcome.result().ok());
        assertTrue(outcome.decisions().isEmpty());
    }

    @Test
    void aRunningJobsNewLimitIsStoredAndSentToItsCoordinatorAlone() {
        s.node("n1", 1);
        s.node("n2", 1);
        long job = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        JobRecord running = s.job(job);
        assertEquals(JobState.RUNNING, running.state());
        s.clock.advance(Duration.ofSeconds(100));

        var outcome = limit(job, null, 7200);

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals(JobState.RUNNING, outcome.result().state());
        assertEquals(7200L, s.job(job).spec().timeLimitSeconds());
        assertEquals(List.of(new NodeCommand.SetTimeLimit(job, running.attempt(), 7200)), outcome.decisions()
                .messages().stream().map(o -> o.message()).toList());
        assertEquals(Destinations.nodeQueue(running.allocation().coordinator().nodeId()), outcome.decisions()
                .messages().get(0).destination());
        assertEquals(JobState.RUNNING, s.job(job).state());
    }

    /** As a hold of a held job: answered ok, with nothing stored, announced (job-updated) or sent to the node. */
    @Test
    void theLimitARunningJobHasAlreadyChangesNothingYetIsAnsweredOk() {
        long job = runningJob();
        JobRecord running = s.job(job);

        var outcome = limit(job, null, 600);

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals(JobState.RUNNING, outcome.result().state());
        assertNull(outcome.result().reason());
        assertTrue(outcome.decisions().isEmpty(), "nothing to store or send: " + outcome.decisions().messages());
        assertEquals(List.of(), JobUpdates.of(outcome.decisions(), s.clock.instant()));
        assertEquals(running, s.job(job));
    }

    @Test
    void backfillPlansARunningJobsEndWithItsNewLimit() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(600L));
        s.schedule();
        long wide = s.submit(CoreScenario.spec().tasks(8));
        long later = s.submit(CoreScenario.spec().tasks(4).timeLimitSeconds(1000L));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(later).state(), "it would delay the wide job, due at 600 s");

        limit(first, null, 2000);
        s.schedule();

        assertEquals(JobState.RUNNING, s.job(later).state(), "done by 1000 s, before the wide job's start at 2000 s");
        assertEquals(JobState.PENDING, s.job(wide).state());
    }

    @Test
    void aLimitTheJobHasRunPastStopsItNowAsTimeout() {
        s.node("n1", 1);
        s.node("n2", 1);
        long job = s.submit(CoreScenario.spec().nodes(2).tasks(2));
        s.schedule();
        s.clock.advance(Duration.ofSeconds(300));

        var outcome = limit(job, null, 120);

        assertTrue(outcome.result().ok());
        assertEquals(JobState.COMPLETING, s.job(job).state());
        assertEquals(120L, s.job(job).spec().timeLimitSeconds());
        List<NodeCommand> kills = outcome.decisions().messages().stream().map(o -> (NodeCommand) o.message())
                .toList();
        var kill = new NodeCommand.KillJob(job, s.job(job).attempt(), JobState.TIMEOUT);
        assertEquals(List.of(kill, kill), kills, "every node of the job stops its part");
        s.killed(job, JobState.TIMEOUT);
        assertEquals(JobState.TIMEOUT, s.job(job).state());
    }

    @Test
    void aRunningJobTakesNoOtherChangeAndNothingChanges() {
        long job = runningJob();

        var outcome = control.update(new ControlRequest.UpdateJob(job, null, 7200L, null, 5, null));

        refusedUnchanged(outcome);
        assertEquals(JobState.RUNNING, outcome.result().state());
        assertEquals("job " + job + " is RUNNING; only pending jobs can be updated", outcome.result().reason());
    }

    @Test
    void anInvalidLimitForARunningJobIsRefusedAndChangesNothing() {
        long job = runningJob();

        var outcome = limit(job, null, 0);

        refusedUnchanged(outcome);
        assertTrue(outcome.result().reason().startsWith("job " + job + " was not updated: timeLimitSeconds"),
                outcome.result().reason());
        assertEquals(600L, s.job(job).spec().timeLimitSeconds());
    }

    @Test
    void aJobBeingStoppedIsRefusedWithItsState() {
        long job = runningJob();
        s.apply(control.cancel(new ControlRequest.CancelJob(job)).decisions());

        var outcome = limit(job, null, 7200);

        refusedUnchanged(outcome);
        assertEquals(JobState.COMPLETING, outcome.result().state());
        assertEquals("job " + job + " is COMPLETING; only pending and running jobs can be updated",
                outcome.result().reason());
        assertEquals(600L, s.job(job).spec().timeLimitSeconds());
    }

    @Test
    void aRunningArrayTaskAloneOrTheWholeArrayGetsTheNewLimit() {
        s.node("n1", 2);
        long array = s.submit(CoreScenario.spec().array("0-2"));
        s.schedule();
        List<JobRecord> running = s.inState(JobState.RUNNING);
        assertEquals(2, running.size());
        JobRecord task1 = running.stream().filter(j -> j.array().taskId() == 1).findFirst().orElseThrow();

        var one = limit(array, 1, 900);
        assertTrue(one.result().ok(), one.result().toString());
        assertEquals(List.of(new NodeCommand.SetTimeLimit(task1.id(), task1.attempt(), 900)), one.decisions()
                .messages().stream().map(o -> o.message()).toList());
        assertEquals(900L, s.job(task1.id()).spec().timeLimitSeconds());

        var all = limit(array, null, 1200);
        assertTrue(all.result().ok(), all.result().toString());
        assertEquals(2, all.decisions().messages().size(), "both running tasks' nodes are told");
        assertTrue(s.stored.values().stream().filter(j -> j.array() != null && !j.state().isTerminal())
                .allMatch(j -> j.spec().timeLimitSeconds() == 1200L), "the pending task too");
    }
}
