package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scontrol update ArrayTaskThrottle=N: the array's throttle, on its id, pending tasks or running ones; lowering it
 * stops nothing, raising it lets the next pass start more (docs/protocol.md 5.5).
 */
class ArrayThrottleUpdateTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    private JobControl.Outcome<ClientReply.ControlResult> throttle(long job, Integer task, int n) {
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(job, task, null, null, null, null, null,
                null, n, null, null));
        s.apply(outcome.decisions());
        return outcome;
    }

    private long running() {
        return s.inState(JobState.RUNNING).size();
    }

    @Test
    void raisingTheThrottleLetsTheNextPassStartMoreAndLoweringItStopsNothing() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-6%2"));
        s.schedule();
        assertEquals(2, running());
        assertEquals(array + "_[3-6%2]", s.job(array).displayId());

        var raised = throttle(array, null, 4);

        assertTrue(raised.result().ok(), raised.result().toString());
        assertEquals(array + "_[3-6%4]", s.job(array).displayId());
        s.inState(JobState.RUNNING).forEach(t -> assertEquals(4, t.spec().arraySpec().throttle(), t.displayId()));
        List<JobEvent> events = JobUpdates.of(raised.decisions(), s.clock.instant());
        assertEquals(3, events.size(), "the array's record and both running tasks: " + events);
        events.forEach(e -> assertEquals(4, ((JobEvent.JobUpdated) e).arrayTaskThrottle()));
        s.schedule();
        assertEquals(4, running());

        var lowered = throttle(array, null, 1);
        assertTrue(lowered.result().ok());
        assertTrue(lowered.decisions().messages().isEmpty(), "nothing is stopped or told to a node");
        s.schedule();
        assertEquals(4, running(), "the tasks running go on");
        assertEquals("JobArrayTaskLimit", s.job(array).reason());
        assertEquals(array + "_[5-6%1]", s.job(array).displayId());
    }

    @Test
    void zeroRemovesTheThrottle() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-6%2"));
        s.schedule();

        assertTrue(throttle(array, null, 0).result().ok());

        assertEquals("1-6", s.job(array).spec().array());
        assertEquals(array + "_[3-6]", s.job(array).displayId());
        s.schedule();
        assertEquals(6, running());
    }

    @Test
    void anArrayWhoseTasksAllRunTakesItToo() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-2%4"));
        s.schedule();
        assertEquals(2, running());

        var outcome = throttle(array, null, 1);

        assertTrue(outcome.result().ok(), outcome.result().toString());
        assertEquals(JobState.RUNNING, outcome.result().state());
        s.inState(JobState.RUNNING).forEach(t -> assertEquals("1-2%1", t.spec().array()));
    }

    /**
     * A task being requeued (COMPLETING) takes the new throttle too, stored and announced: it comes back pending
     * under it, as Slurm's requeued task counts against its array's one max_run_tasks, and scontrol show job shows it.
     */
    @Test
    void aTaskStoppingToBeRequeuedTakesTheNewThrottleAndStartsAgainUnderIt() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-2%2"));
        s.schedule();
        assertEquals(2, running());
        JobRecord requeued = s.inState(JobState.RUNNING).stream().filter(t -> t.id() != array).findFirst()
                .orElseThrow();
        s.apply(s.core.control().requeue(new ControlRequest.RequeueJob(requeued.id(), null, false)).decisions());
        assertEquals(JobState.COMPLETING, s.job(requeued.id()).state());

        var lowered = throttle(array, null, 1);

        assertTrue(lowered.result().ok(), lowered.result().toString());
        assertEquals("1-2%1", s.job(requeued.id()).spec().array(), "stopping, it takes the throttle too");
        assertTrue(JobUpdates.of(lowered.decisions(), s.clock.instant()).stream()
                .anyMatch(e -> ((JobEvent.JobUpdated) e).jobId() == requeued.id()), "and it is announced");
        assertTrue(lowered.decisions().messages().isEmpty(), "nothing for a node");
        s.killed(requeued.id(), JobState.REQUEUED);
        s.schedule();
        assertEquals(JobState.PENDING, s.job(requeued.id()).state(), "the other task runs: 1 of 1");
        assertEquals("JobArrayTaskLimit", s.job(requeued.id()).reason());
    }

    /**
     * A task that has ended is no longer the core's: the decision names the array and its new throttle for the store
     * to give its ended records, as Slurm shows every task its array head's max_run_tasks; a refusal names none.
     */
    @Test
    void theDecisionNamesTheArraysNewThrottleForItsEndedRecords() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-3%2"));
        s.schedule();
        long first = s.inState(JobState.RUNNING).stream().filter(t -> t.id() != array).findFirst().orElseThrow()
                .id();
        s.finish(first, 0);
        assertEquals(JobState.COMPLETED, s.job(first).state());

        var lowered = throttle(array, null, 1);

        assertTrue(lowered.result().ok(), lowered.result().toString());
        assertEquals(Map.of(array, 1), lowered.decisions().throttles());
        assertEquals(Map.of(), throttle(array, 2, 3).decisions().throttles(), "refused: a task");
        assertEquals(Map.of(), s.core.control().update(new ControlRequest.UpdateJob(array, null, 60L, null, null,
                null, null, null, null, null, null)).decisions().throttles(), "no throttle given");
    }

    @Test
    void aJobThatIsNoArrayATaskAndABadValueAreRefusedChangingNothing() {
        s.node("n1", 8);
        long plain = s.submit(CoreScenario.spec());
        long array = s.submit(CoreScenario.spec().array("1-6%1"));
        s.schedule();
        long splitOff = s.inState(JobState.RUNNING).stream().filter(j -> j.array() != null).findFirst()
                .orElseThrow().id();
        Map<String, ClientReply.ControlResult> refused = Map.of(
                "not an array", throttle(plain, null, 2).result(),
                "is one task", throttle(array, 4, 2).result(),
                "of array " + array, throttle(splitOff, null, 2).result(),
                "0 for no limit", throttle(array, null, -1).result(),
                "1 to 9999999", throttle(array, null, 10_000_000).result());
        refused.forEach((why, r) -> {
            assertFalse(r.ok(), why);
            assertTrue(r.reason().startsWith("arrayTaskThrottle: ") && r.reason().contains(why), r.reason());
        });
        assertEquals("1-6%1", s.job(array).spec().array());
        assertEquals(array + "_[2-6%1]", s.job(array).displayId());
    }

    @Test
    void anUpdateWithABadFieldBesideTheThrottleChangesNeitherRunningNorPendingRecords() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-6%2"));
        s.schedule();
        var outcome = s.core.control().update(new ControlRequest.UpdateJob(array, null, null, null, 20_000, null,
                null, null, 4, null, null));
        assertFalse(outcome.result().ok());
        assertTrue(outcome.decisions().isEmpty());
        for (JobRecord j : s.stored.values()) {
            assertEquals("1-6%2", j.spec().array(), j.displayId());
        }
    }
}
