package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArraysAndDependenciesTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    @Test
    void anArrayIsOneRecordUntilItsTasksStartAndTheLastTaskKeepsTheArraysId() {
        s.node("n1", 2);
        long array = s.submit(CoreScenario.spec().array("0-4"));
        s.schedule();
        List<JobRecord> running = s.inState(JobState.RUNNING);
        assertEquals(List.of("1_0", "1_1"), running.stream().map(JobRecord::displayId).toList());
        assertEquals("1_[2-4]", s.job(array).displayId());
        var place = (NodeCommand.PlaceJob) s.sent.get(0);
        assertEquals(array, place.array().arrayJobId());
        for (int round = 0; round < 3; round++) {
            s.inState(JobState.RUNNING).forEach(j -> s.finish(j.id(), 0));
            s.schedule();
        }
        assertEquals(5, s.inState(JobState.COMPLETED).size());
        JobRecord last = s.job(array);
        assertEquals(4, last.array().taskId());
        assertEquals("1_4", last.displayId());
    }

    @Test
    void theThrottleBoundsRunningTasks() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("0-9%3"));
        s.schedule();
        assertEquals(3, s.inState(JobState.RUNNING).size());
        assertEquals("JobArrayTaskLimit", s.job(array).reason());
        assertEquals("1_[3-9%3]", s.job(array).displayId());
        s.finish(s.inState(JobState.RUNNING).get(0).id(), 0);
        s.schedule();
        assertEquals(3, s.inState(JobState.RUNNING).size());
    }

    @Test
    void oneTaskCanBeCancelledOrHeldAlone() {
        long array = s.submit(CoreScenario.spec().array("1,3,5-7"));
        var held = s.core.control().hold(new ControlRequest.HoldJob(array, 5, false));
        s.apply(held.decisions());
        assertTrue(held.result().ok());
        s.apply(s.core.control().cancel(new ControlRequest.CancelJob(array, 3)).decisions());
        assertEquals("1_[1,6-7]", s.job(array).displayId());
        s.node("n1", 8);
        s.schedule();
        assertEquals(List.of("1_1", "1_6", "1_7"), s.inState(JobState.RUNNING).stream().map(JobRecord::displayId)
                .sorted().toList());
        assertEquals("JobHeldUser", s.inState(JobState.PENDING).get(0).reason());
        assertEquals("1_3", s.inState(JobState.CANCELLED).get(0).displayId());
        var unknown = s.core.control().cancel(new ControlRequest.CancelJob(array, 4));
        assertFalse(unknown.result().ok());
        assertTrue(unknown.decisions().isEmpty());
    }

    @Test
    void afterokWaitsThenRunsAndANeverSatisfiedDependencyCancels() {
        s.node("n1", 4);
        long first = s.submit(CoreScenario.spec());
        long ok = s.submit(CoreScenario.spec().dependency("afterok:" + first));
        long notOk = s.submit(CoreScenario.spec().dependency("afternotok:" + first));
        long any = s.submit(CoreScenario.spec().dependency("afterany:" + first));
        s.schedule();
        assertEquals("Dependency", s.job(ok).reason());
        s.finish(first, 0);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(ok).state());
        assertEquals(JobState.RUNNING, s.job(any).state());
        assertEquals(JobState.CANCELLED, s.job(notOk).state());
        assertEquals("DependencyNeverSatisfied", s.job(notOk).reason());
    }

    @Test
    void aDependencyOnALongFinishedJobIsJudgedFromHistory() {
        s.node("n1", 4);
        long failed = s.submit(CoreScenario.spec());
        s.schedule();
        s.finish(failed, 3);
        // A fresh core knows nothing in memory of job 1; it asks the store.
        CoreScenario later = new CoreScenario(PlacementPolicy.Kind.EASY);
        later.stored.putAll(s.stored);
        later.core.recover(List.of(), List.of(), failed);
        later.node("n1", 4);
        long dependent = later.submit(CoreScenario.spec().dependency("afternotok:" + failed));
        later.schedule();
        assertEquals(JobState.RUNNING, later.job(dependent).state());
        assertTrue(later.core.dependencyProblem(CoreScenario.spec().dependency("afterok:999").build()).isPresent());
    }

    @Test
    void neverSatisfiedCanBeKeptPendingInstead() {
        s.node("n1", 4);
        long first = s.submit(CoreScenario.spec());
        long kept = s.submit(CoreScenario.spec().dependency("afterok:" + first).killOnInvalidDependency(false));
        s.schedule();
        s.finish(first, 1);
        s.schedule();
        assertEquals(JobState.PENDING, s.job(kept).state());
        assertEquals("DependencyNeverSatisfied", s.job(kept).reason());
    }

    @Test
    void dependenciesOnAWholeArrayAndOnOneTask() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("0-2"));
        long onAll = s.submit(CoreScenario.spec().dependency("afterok:" + array));
        long onTask = s.submit(CoreScenario.spec().dependency("afterany:" + array + "_1"));
        s.schedule();
        JobRecord task1 = s.inState(JobState.RUNNING).stream().filter(j -> j.array() != null
                && j.array().taskId() == 1).findFirst().orElseThrow();
        s.finish(task1.id(), 0);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(onTask).state());
        assertEquals("Dependency", s.job(onAll).reason());
        s.inState(JobState.RUNNING).stream().filter(j -> j.array() != null).forEach(j -> s.finish(j.id(), 0));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(onAll).state());
    }

    @Test
    void singletonRunsOneJobOfAUserAndNameAtATime() {
        s.node("n1", 4);
        long a = s.submit(CoreScenario.spec().dependency("singleton"));
        long b = s.submit(CoreScenario.spec().dependency("singleton"));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(a).state());
        assertEquals("Dependency", s.job(b).reason());
        s.finish(a, 1);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(b).state());
    }

    @Test
    void aSingletonArrayRunsItsTasksOneAtATime() {
        // Each task is a job of the array's user and name, as in Slurm: room for all three changes nothing.
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("1-3").dependency("singleton"));
        for (int task = 1; task <= 3; task++) {
            s.schedule();
            List<JobRecord> running = s.inState(JobState.RUNNING);
            assertEquals(1, running.size(), "task " + task);
            if (task < 3) {
                assertEquals("Dependency", s.job(array).reason());
            }
            s.finish(running.get(0).id(), 0);
        }
        assertEquals(3, s.inState(JobState.COMPLETED).size());
    }

    @Test
    void afterWithADelayWaitsForTheStartPlusMinutes() {
        s.node("n1", 4);
        long first = s.submit(CoreScenario.spec());
        long later = s.submit(CoreScenario.spec().dependency("after:" + first + "+2"));
        s.schedule();
        s.clock.advance(Duration.ofSeconds(90));
        s.schedule();
        assertEquals("Dependency", s.job(later).reason());
        s.clock.advance(Duration.ofSeconds(31));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(later).state());
        // Eligible from the pass that found the dependency satisfied (sacct's Eligible), kept once it runs.
        assertEquals(s.clock.instant(), s.job(later).eligibleTime());
    }

    /**
     * scancel of an array ends its record with the tasks it still held: they ended CANCELLED, unstarted, and
     * dependencies on the array and on those tasks say so, also after a restart, when only the store knows.
     */
    @Test
    void tasksCancelledBeforeTheyStartedCountForDependenciesOnTheArrayAndOnThemselves() {
        s.node("n1", 1);
        long array = s.submit(CoreScenario.spec().array("0-3"));
        s.schedule();
        long task0 = s.inState(JobState.RUNNING).get(0).id();
        long ok = s.submit(CoreScenario.spec().name("ok").dependency("afterok:" + array));
        long notOk = s.submit(CoreScenario.spec().name("notok").dependency("afternotok:" + array));
        long onTask = s.submit(CoreScenario.spec().name("ontask").dependency("afterany:" + array + "_2"));
        s.finish(task0, 0);
        s.apply(s.core.cancel(array).decisions());
        s.node("n1", 4);
        s.schedule();
        assertEquals(JobState.CANCELLED, s.job(ok).state(), "tasks 1-3 never completed");
        assertEquals("DependencyNeverSatisfied", s.job(ok).reason());
        assertEquals(JobState.RUNNING, s.job(notOk).state());
        assertEquals(JobState.RUNNING, s.job(onTask).state(), "task 2 ended, cancelled");

        CoreScenario later = new CoreScenario(PlacementPolicy.Kind.EASY);
        later.stored.putAll(s.stored);
        later.core.recover(s.stored.values().stream().filter(j -> !j.state().isTerminal()).toList(), List.of(),
                s.stored.keySet().stream().mapToLong(Long::longValue).max().orElseThrow());
        later.node("n1", 8);
        assertTrue(later.core.dependencyProblem(CoreScenario.spec().dependency("afterok:" + array + "_3")
                .build()).isEmpty(), "task 3 exists: it ended unstarted");
        long okLater = later.submit(CoreScenario.spec().name("a").dependency("afterok:" + array));
        long notOkLater = later.submit(CoreScenario.spec().name("b").dependency("afternotok:" + array));
        long taskNotOk = later.submit(CoreScenario.spec().name("c").dependency("afternotok:" + array + "_3"));
        long taskOk = later.submit(CoreScenario.spec().name("d").dependency("afterok:" + array + "_1"));
        long firstOk = later.submit(CoreScenario.spec().name("e").dependency("afterok:" + array + "_0"));
        later.schedule();
        assertEquals(JobState.CANCELLED, later.job(okLater).state());
        assertEquals(JobState.RUNNING, later.job(notOkLater).state());
        assertEquals(JobState.RUNNING, later.job(taskNotOk).state());
        assertEquals(JobState.CANCELLED, later.job(taskOk).state());
        assertEquals(JobState.RUNNING, later.job(firstOk).state());
    }

    /** Tasks split off the array's record (by an update, a hold, a requeue) share its throttle with it. */
    @Test
    void splitOffTasksAndTheArraysRecordShareOneThrottle() {
        s.node("n1", 8);
        long array = s.submit(CoreScenario.spec().array("0-4%2"));
        for (int task = 1; task <= 3; task++) {
            s.apply(s.core.control().update(new ControlRequest.UpdateJob(array, task, 300L, null, null, null))
                    .decisions());
        }
        s.schedule();
        assertEquals(2, s.inState(JobState.RUNNING).size());
        assertTrue(s.inState(JobState.PENDING).stream().allMatch(j -> j.reason().equals("JobArrayTaskLimit")),
                s.inState(JobState.PENDING).toString());
        for (int round = 0; round < 3; round++) {
            s.inState(JobState.RUNNING).forEach(j -> s.finish(j.id(), 0));
            s.schedule();
            assertTrue(s.inState(JobState.RUNNING).size() <= 2);
        }
        assertEquals(5, s.inState(JobState.COMPLETED).size());
    }
}
