package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parts of an array: the pending tasks a task-list hold or release names leave the record that held them together,
 * as one record that waits and changes as a whole, not a record per task (holding 12_[1-99999] of a 100,000-task
 * array made 99,999 records), and that the pass, cancels, throttles and dependencies treat as the array's record.
 */
class ArrayPartsTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
    private final JobControl control = s.core.control();

    private ClientReply.CancelResult cancel(long array, String tasks) {
        var o = control.cancel(new ControlRequest.CancelJob(array, null, tasks == null ? null
                : ArrayIndexes.parse(tasks), null));
        s.apply(o.decisions());
        return o.result();
    }

    private List<JobRecord> records(long array) {
        return s.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array).toList();
    }

    /** The records of the array other than its own that hold pending tasks, in whatever state. */
    private List<JobRecord> parts(long array) {
        return records(array).stream().filter(j -> j.id() != array && j.array().taskId() == null)
                .sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
    }

    private JobRecord part(long array, String pending) {
        return parts(array).stream().filter(p -> p.array().pending().toString().equals(pending)).findFirst()
                .orElseThrow(() -> new AssertionError("no part holds " + pending + ": " + parts(array)));
    }

    private long running(long array) {
        return records(array).stream().filter(j -> j.state() == JobState.RUNNING).count();
    }

    private long completed(long array) {
        return records(array).stream().filter(j -> j.state() == JobState.COMPLETED).count();
    }

    @Test
    void holdingMostOfALargeArrayMakesOnePartThatThePassLeavesAndThatSplitsInTwoWhenPartlyReleased() {
        long array = s.submit(CoreScenario.spec().array("0-99999"));

        long began = System.nanoTime();
        var o = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("1-99999"), false, null));
        System.out.printf("hold of 12_[1-99999] on a 100,000-task array: change() %.1f ms, %d inserted, %d changes%n",
                (System.nanoTime() - began) / 1e6, o.decisions().inserted().size(), o.decisions().changes().size());
        s.apply(o.decisions());

        assertEquals("1-99999", o.result().changed().toString());
        assertEquals(2, records(array).size(), "the array's record and one part, not a record per task");
        JobRecord held = part(array, "1-99999");
        assertEquals(JobSpec.HOLD_USER, held.spec().hold());
        assertEquals("JobHeldUser", held.reason());
        assertEquals(array + "_[1-99999]", held.displayId(), "squeue shows the part as Slurm does");
        assertEquals("0", s.job(array).array().pending().toString());
        assertNull(s.job(array).spec().hold());

        s.node("n1", 4);
        s.schedule();
        s.schedule();
        assertEquals(1, running(array), "only task 0 runs: the pass never starts a held part's task");
        assertEquals(0, s.job(array).array().taskId());
        assertEquals("1-99999", s.job(held.id()).array().pending().toString());
        assertEquals("JobHeldUser", s.job(held.id()).reason());

        ClientReply.ControlResult r = s.releaseTasks(array, "5-9", false);
        assertEquals("5-9", r.changed().toString());
        assertEquals("1-4,10-99999", s.job(held.id()).array().pending().toString(), "the held part keeps the rest");
        JobRecord released = part(array, "5-9");
        assertNull(released.spec().hold());
        assertEquals(JobSpec.HOLD_USER, s.job(held.id()).spec().hold());
        assertEquals(3, records(array).size(), "task 0 and two parts of the held one, never a record per task");

        ClientReply.ControlResult admin = s.holdTasks(array, "20-29", true);
        assertEquals("20-29", admin.changed().toString());
        assertEquals(JobSpec.HOLD_ADMIN, part(array, "20-29").spec().hold());
        assertEquals(4, records(array).size());

        s.schedule();
        assertEquals(4, running(array), "three tasks of the released part start beside task 0");
        assertEquals("8-9", s.job(released.id()).array().pending().toString());
        assertEquals(JobState.PENDING, s.job(held.id()).state());
        assertEquals(JobState.PENDING, part(array, "20-29").state());
    }

    @Test
    void aReleasedPartRunsEveryTaskWithinTheArraysThrottle() {
        long array = s.submit(CoreScenario.spec().array("0-19%3"));
        s.holdTasks(array, "0-19", false);
        s.releaseTasks(array, "2-17", false);
        assertEquals("2-17", part(array, "2-17").array().pending().toString());
        assertEquals(JobSpec.HOLD_USER, s.job(array).spec().hold(), "the array's record keeps 0-1,18-19 held");
        s.releaseTasks(array, "0-1,18-19", false);
        s.node("n1", 16);
        for (int round = 0; round < 30 && completed(array) < 20; round++) {
            s.schedule();
            assertTrue(running(array) <= 3, "the throttle counts the tasks of every part together");
            s.inState(JobState.RUNNING).forEach(j -> s.finish(j.id(), 0));
        }
        assertEquals(20, completed(array), "every task ran, each once, the last of the part taking the part's record");
        assertTrue(records(array).stream().allMatch(j -> j.array().taskId() != null));
    }

    @Test
    void cancellingTheArrayOrAListEndsItsPartsWhole() {
        long array = s.submit(CoreScenario.spec().array("0-99"));
        s.holdTasks(array, "10-59", false);
        JobRecord held = part(array, "10-59");

        ClientReply.CancelResult some = cancel(array, "20-29");
        assertEquals("20-29", some.cancelled().toString());
        assertEquals("10-19,30-59", s.job(held.id()).array().pending().toString());
        assertEquals(JobState.CANCELLED, part(array, "20-29").state(), "one ended part, not a record per task");

        cancel(array, "10-19,30-59");
        assertEquals(JobState.CANCELLED, s.job(held.id()).state(), "a part whose tasks are all listed ends itself");
        assertEquals("10-19,30-59", s.job(held.id()).array().pending().toString());

        s.holdTasks(array, "60-69", true);
        s.apply(s.core.cancel(array).decisions());
        assertTrue(records(array).stream().allMatch(j -> j.state() == JobState.CANCELLED), records(array)::toString);
        assertEquals(4, records(array).size(), "the array's record and three parts");
        long dependent = s.submit(CoreScenario.spec().dependency("afternotok:" + array + "_65"));
        s.node("n1", 2);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(dependent).state(), "a task of a cancelled part ended CANCELLED");
    }

    @Test
    void aTaskOfAPartIsNamedAloneForDependenciesAndSingleRequests() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        s.holdTasks(array, "3-7", false);
        JobSpec onFive = CoreScenario.spec().name("d").dependency("afterok:" + array + "_5").build();
        assertTrue(s.core.dependencyProblem(onFive).isEmpty(), "task 5 exists, in a part");
        long dependent = s.submit(onFive.toBuilder());
        long onArray = s.submit(CoreScenario.spec().name("e").dependency("afterany:" + array));
        s.node("n1", 20);
        s.schedule();
        assertEquals("Dependency", s.job(dependent).reason());
        assertEquals("Dependency", s.job(onArray).reason());

        var one = control.release(new ControlRequest.ReleaseJob(array, 5, false, null));
        s.apply(one.decisions());
        assertTrue(one.result().ok(), one.result().reason());
        assertEquals("3-4,6-7", part(array, "3-4,6-7").array().pending().toString());
        s.schedule();
        JobRecord five = records(array).stream().filter(j -> Integer.valueOf(5).equals(j.array().taskId()))
                .findFirst().orElseThrow();
        assertEquals(JobState.RUNNING, five.state());
        assertNull(five.spec().hold());
        s.finish(five.id(), 0);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(dependent).state());
        assertEquals("Dependency", s.job(onArray).reason(), "the held part's tasks have not ended");
    }

    /**
     * A part keeps its array's place among jobs of equal priority: released, it starts before a job submitted after
     * the array, though its own id is newer. Once at the same instant, once ten seconds apart (the same minute: equal
     * ages).
     */
    @Test
    void aReleasedPartKeepsItsArraysPlaceBeforeALaterJobOfEqualPriority() {
        for (Duration apart : List.of(Duration.ZERO, Duration.ofSeconds(10))) {
            CoreScenario c = new CoreScenario(PlacementPolicy.Kind.FCFS);
            c.node("n1", 1);
            long array = c.submit(CoreScenario.spec().array("0-3"));
            c.clock.advance(apart);
            long later = c.submit(CoreScenario.spec());
            c.clock.advance(apart);
            c.holdTasks(array, "1-3", false);
            c.schedule();
            JobRecord first = c.stored.values().stream().filter(j -> j.state() == JobState.RUNNING).findFirst()
                    .orElseThrow();
            assertEquals(array + "_0", first.displayId(), "the array's own record goes first");
            c.releaseTasks(array, "1-3", false);

            c.finish(first.id(), 0);
            c.schedule();

            assertEquals(JobState.PENDING, c.job(later).state(), "apart " + apart + ": the later job waits");
            assertEquals(1, c.stored.values().stream().filter(j -> j.state() == JobState.RUNNING && j.array() != null
                    && j.array().arrayJobId() == array).count(), "apart " + apart + ": a task of the part runs");
        }
    }
}
