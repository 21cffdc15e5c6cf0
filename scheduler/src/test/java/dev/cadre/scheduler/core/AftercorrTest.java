package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * aftercorr: task i of a dependent array waits for task i of the named array, and only for it; the tasks of one
 * pending record start out of order as their partners complete, and those whose partner failed end alone.
 */
class AftercorrTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);

    /** The unfinished or ended record of task i of the array, as the store has it. */
    private JobRecord task(CoreScenario in, long array, int i) {
        return in.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array
                && j.array().taskId() != null && j.array().taskId() == i).findFirst().orElse(null);
    }

    private JobRecord task(long array, int i) {
        return task(s, array, i);
    }

    /** Task ids of the array that are running, lowest first. */
    private List<Integer> running(CoreScenario in, long array) {
        return in.inState(JobState.RUNNING).stream().filter(j -> j.array() != null
                && j.array().arrayJobId() == array).map(j -> j.array().taskId()).sorted().toList();
    }

    private List<Integer> running(long array) {
        return running(s, array);
    }

    @Test
    void eachTaskStartsWhenItsPartnerCompletesOutOfOrder() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-3"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-3").dependency("aftercorr:" + first));
        s.schedule();
        assertEquals(List.of(), running(second));
        assertEquals("Dependency", s.job(second).reason());
        s.finish(task(first, 3).id(), 0);
        s.schedule();
        assertEquals(List.of(3), running(second), "task 3 before the lower ones");
        assertEquals("Dependency", s.job(second).reason());
        assertEquals(second + "_[0-2]", s.job(second).displayId());
        s.schedule();
        assertEquals(List.of(3), running(second), "a pass with nothing new starts nothing");
        s.finish(task(first, 1).id(), 0);
        s.schedule();
        assertEquals(List.of(1, 3), running(second));
        s.finish(task(first, 0).id(), 0);
        s.finish(task(first, 2).id(), 0);
        s.schedule();
        assertEquals(List.of(0, 1, 2, 3), running(second));
    }

    @Test
    void aFailedPartnerCancelsOnlyItsTask() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-2"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-2").dependency("aftercorr:" + first));
        s.schedule();
        s.finish(task(first, 1).id(), 1);
        s.schedule();
        JobRecord cancelled = task(second, 1);
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertEquals("DependencyNeverSatisfied", cancelled.reason());
        assertEquals(JobState.PENDING, s.job(second).state());
        assertEquals("Dependency", s.job(second).reason());
        assertEquals(second + "_[0,2]", s.job(second).displayId());
        s.finish(task(first, 0).id(), 0);
        s.finish(task(first, 2).id(), 0);
        s.schedule();
        assertEquals(List.of(0, 2), running(second));
    }

    @Test
    void aTaskThatCanNeverStartIsKeptApartWhenThePolicySaysSo() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-2"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-2").dependency("aftercorr:" + first)
                .killOnInvalidDependency(false));
        s.schedule();
        s.finish(task(first, 1).id(), 1);
        s.finish(task(first, 2).id(), 0);
        s.schedule();
        s.schedule();
        assertEquals(JobState.PENDING, task(second, 1).state());
        assertEquals("DependencyNeverSatisfied", task(second, 1).reason());
        assertEquals(List.of(2), running(second));
        assertEquals("Dependency", s.job(second).reason());
    }

    /** scancel of the named array ends its unstarted tasks with it: each dependent task ends alone, recorded. */
    @Test
    void cancellingTheNamedArrayCancelsEveryDependentTaskOneByOne() {
        s.node("n1", 1);
        long first = s.submit(CoreScenario.spec().array("0-3"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-3").dependency("aftercorr:" + first));
        s.schedule();
        s.apply(s.core.cancel(first).decisions());
        s.schedule();
        assertEquals(List.of(1, 2, 3), s.stored.values().stream().filter(j -> j.array().arrayJobId() == second
                && j.state() == JobState.CANCELLED).map(j -> j.array().taskId()).sorted().toList());
        assertEquals("Dependency", s.job(second).reason(), "task 0's partner is still being killed");
        s.killed(task(first, 0).id(), JobState.CANCELLED);
        s.schedule();
        for (int i = 0; i < 4; i++) {
            assertEquals(JobState.CANCELLED, task(second, i).state(), "task " + i);
            assertEquals("DependencyNeverSatisfied", task(second, i).reason());
        }
        assertEquals(List.of(), s.inState(JobState.PENDING));
    }

    @Test
    void aJobThatIsNotAnArrayOrLacksTheTaskActsAsAfterok() {
        s.node("n1", 8);
        long plain = s.submit(CoreScenario.spec());
        long onPlain = s.submit(CoreScenario.spec().name("onplain").array("0-1").dependency("aftercorr:" + plain));
        long shorter = s.submit(CoreScenario.spec().name("short").array("0-1"));
        long longer = s.submit(CoreScenario.spec().name("long").array("0-2").dependency("aftercorr:" + shorter));
        long single = s.submit(CoreScenario.spec().name("single").dependency("aftercorr:" + shorter));
        s.schedule();
        s.finish(task(shorter, 0).id(), 0);
        s.schedule();
        assertEquals(List.of(0), running(longer));
        assertEquals("Dependency", s.job(single).reason(), "not an array: afterok on the whole array");
        assertEquals("Dependency", s.job(onPlain).reason());
        s.finish(task(shorter, 1).id(), 0);
        s.finish(plain, 0);
        s.schedule();
        assertEquals(List.of(0, 1, 2), running(longer), "task 2 has no partner: it followed the whole array");
        assertEquals(JobState.RUNNING, s.job(single).state());
        assertEquals(List.of(0, 1), running(onPlain));
    }

    @Test
    void withCommaEveryConditionMustHold() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-1"));
        long other = s.submit(CoreScenario.spec().name("other"));
        long both = s.submit(CoreScenario.spec().name("both").array("0-1")
                .dependency("aftercorr:" + first + ",afterok:" + other));
        s.schedule();
        s.finish(task(first, 0).id(), 0);
        s.schedule();
        assertEquals(List.of(), running(both));
        assertEquals("Dependency", s.job(both).reason());
        s.finish(other, 0);
        s.schedule();
        assertEquals(List.of(0), running(both));
    }

    @Test
    void withQuestionMarkOneConditionIsEnoughAndAFailedPartnerWaitsForTheOther() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-2"));
        long other = s.submit(CoreScenario.spec().name("other"));
        long either = s.submit(CoreScenario.spec().name("either").array("0-2")
                .dependency("aftercorr:" + first + "?afterok:" + other));
        s.schedule();
        s.finish(task(first, 0).id(), 0);
        s.finish(task(first, 1).id(), 1);
        s.schedule();
        assertEquals(List.of(0), running(either));
        assertEquals(JobState.PENDING, s.job(either).state());
        assertEquals("Dependency", s.job(either).reason());
        s.finish(other, 0);
        s.schedule();
        assertEquals(List.of(0, 1, 2), running(either), "afterok on the other job holds for every task");
    }

    @Test
    void theThrottleStillBoundsRunningTasks() {
        s.node("n1", 16);
        long first = s.submit(CoreScenario.spec().array("0-5"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-5%2").dependency("aftercorr:" + first));
        s.schedule();
        for (int i = 5; i >= 1; i--) {
            s.finish(task(first, i).id(), 0);
        }
        s.schedule();
        assertEquals(List.of(1, 2), running(second));
        assertEquals("JobArrayTaskLimit", s.job(second).reason());
        s.finish(task(second, 1).id(), 0);
        s.schedule();
        assertEquals(List.of(2, 3), running(second));
        s.finish(task(second, 2).id(), 0);
        s.finish(task(second, 3).id(), 0);
        s.schedule();
        assertEquals(List.of(4, 5), running(second));
        s.finish(task(second, 4).id(), 0);
        s.schedule();
        assertEquals(List.of(5), running(second));
        assertEquals("Dependency", s.job(second).reason(), "task 0 waits for its partner, not the throttle");
    }

    /** A restarted core knows nothing in memory: it judges the tasks once from the store, then from new ends. */
    @Test
    void anAftercorrArrayBehavesAfterARestart() {
        s.node("n1", 8);
        long first = s.submit(CoreScenario.spec().array("0-3"));
        long second = s.submit(CoreScenario.spec().name("second").array("0-3").dependency("aftercorr:" + first));
        s.schedule();
        s.finish(task(first, 3).id(), 0);
        s.schedule();
        s.finish(task(first, 2).id(), 0);
        s.finish(task(first, 1).id(), 1);
        assertEquals(List.of(3), running(second));

        CoreScenario later = new CoreScenario(PlacementPolicy.Kind.EASY);
        later.stored.putAll(s.stored);
        long highest = s.stored.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        later.core.recover(s.stored.values().stream().filter(j -> !j.state().isTerminal()).toList(), List.of(),
                highest);
        later.node("n1", 8);
        later.schedule();
        assertEquals(List.of(2, 3), running(later, second));
        assertEquals(JobState.CANCELLED, task(later, second, 1).state());
        assertEquals("DependencyNeverSatisfied", task(later, second, 1).reason());
        assertEquals("Dependency", later.job(second).reason());
        later.finish(task(later, first, 0).id(), 0);
        later.schedule();
        assertEquals(List.of(0, 2, 3), running(later, second));
    }
}
