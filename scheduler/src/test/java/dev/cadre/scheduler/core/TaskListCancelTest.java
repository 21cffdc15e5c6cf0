package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import org.junit.jupiter.api.Test;

/**
 * scancel 12_[LIST] in one request: the listed tasks among the array's pending record, its split-off pending tasks
 * and its running ones go in one decision, and the answer names the tasks that had ended and those that did not
 * exist.
 */
class TaskListCancelTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private ClientReply.CancelResult cancel(long array, String tasks) {
        var o = s.core.control().cancel(new ControlRequest.CancelJob(array, null, ArrayIndexes.parse(tasks)));
        s.apply(o.decisions());
        return o.result();
    }

    /** Cancelled tasks of the array: one per task record, and every task a record holds unstarted. */
    private long cancelled(long array) {
        return s.inState(JobState.CANCELLED).stream().filter(j -> j.array() != null
                && j.array().arrayJobId() == array)
                .mapToLong(j -> j.array().taskId() != null ? 1 : j.array().pending().count()).sum();
    }

    private long records(long array) {
        return s.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array).count();
    }

    @Test
    void pendingAndRunningTasksOfAListGoInOneDecisionAndTheMissingAreNamed() {
        s.node("n1", 2);
        long array = s.submit(CoreScenario.spec().array("0-9999"));
        s.schedule();
        JobRecord running = s.inState(JobState.RUNNING).get(0);
        assertEquals(0, running.array().taskId());

        ClientReply.CancelResult r = cancel(array, "0-2999,9995-10005");
        assertTrue(r.ok(), r.reason());
        assertEquals("0-2999,9995-9999", r.cancelled().toString());
        assertEquals("10000-10005", r.missing().toString());
        assertEquals(JobState.COMPLETING, r.state(), "task 0 runs: it is being killed");
        assertEquals(JobState.COMPLETING, s.job(running.id()).state());
        // Tasks 0 and 1 run (two cores): they are being killed; the others ended at once.
        assertEquals(3005 - s.inState(JobState.COMPLETING).size(), cancelled(array));
        assertEquals("3000-9994", s.job(array).array().pending().toString());
        assertEquals(4, records(array), "the array's, two running tasks', and one holding the 3003 never started");
    }

    @Test
    void aHundredThousandPendingTasksEndInOneRecordAsAWholeArrayCancelLeavesThem() {
        long array = s.submit(CoreScenario.spec().array("0-99999"));
        long other = s.submit(CoreScenario.spec().dependency("afterany:" + array + "_500"));
        long okAfter = s.submit(CoreScenario.spec().dependency("afterok:" + array + "_500"));

        ClientReply.CancelResult r = cancel(array, "0-99998");

        assertEquals("0-99998", r.cancelled().toString());
        assertEquals(JobState.CANCELLED, r.state());
        assertEquals(2, records(array), "no record per task");
        JobRecord part = s.inState(JobState.CANCELLED).get(0);
        assertEquals("0-99998", part.array().pending().toString());
        assertEquals(array + "_[0-99998]", part.displayId(), "shown as the whole array's cancel shows its record");
        assertEquals("99999", s.job(array).array().pending().toString());
        s.node("n1", 4);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(other).state(), "afterany on a task ended unstarted holds");
        assertEquals(JobState.CANCELLED, s.job(okAfter).state(), "afterok on it never will");
        assertEquals(java.util.Optional.empty(), s.core.dependencyProblem(CoreScenario.spec()
                .dependency("afterany:" + array + "_7").build()), "the task exists, ended");
    }

    @Test
    void aListOfEveryPendingTaskLeavesTheLastInTheArraysOwnRecord() {
        long array = s.submit(CoreScenario.spec().array("1-5"));
        long after = s.submit(CoreScenario.spec().dependency("afternotok:" + array));

        ClientReply.CancelResult r = cancel(array, "1-5");

        assertEquals("1-5", r.cancelled().toString());
        assertEquals(JobState.CANCELLED, s.job(array).state());
        assertEquals(5, s.job(array).array().taskId(), "the record became the last task, as when tasks start");
        assertEquals(5, cancelled(array));
        assertEquals(2, records(array));
        s.node("n1", 4);
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(after).state(), "the whole array ended, not ok");
    }

    @Test
    void aSplitOffPendingTaskIsCancelledAndAListOfNothingLeftIsAllMissing() {
        long array = s.submit(CoreScenario.spec().array("1-5"));
        // A held task is split off its array's record.
        var held = s.core.control().hold(new ControlRequest.HoldJob(array, 3, false));
        s.apply(held.decisions());
        assertTrue(held.result().ok());

        ClientReply.CancelResult r = cancel(array, "2-3");
        assertEquals("2-3", r.cancelled().toString());
        assertNull(r.missing());
        assertEquals(JobState.CANCELLED, r.state());

        ClientReply.CancelResult again = cancel(array, "2-3,7");
        assertFalse(again.ok());
        assertEquals("2-3", again.ended().toString(), "ended, as Slurm says of an ended task");
        assertEquals("7", again.missing().toString(), "the array has no task 7");
        assertNull(again.cancelled());
        assertEquals("1,4-5", s.job(array).array().pending().toString());
    }

    @Test
    void aTaskIdBesideATaskListIsRefused() {
        long array = s.submit(CoreScenario.spec().array("1-5").hold(JobSpec.HOLD_USER));
        var o = s.core.control().cancel(new ControlRequest.CancelJob(array, 2, ArrayIndexes.parse("1-3")));
        assertFalse(o.result().ok());
        assertTrue(o.decisions().changes().isEmpty());
    }

    /**
     * A list of a million ids over an irregular array (1,600 ranges in 9,982 characters) is answered task by task
     * from the array's records and sets, not by a lookup per listed id. Prints the decisions' times, for
     * docs/benchmarks.md; asserts only what they answer.
     */
    @Test
    void aMillionIdsOverAnIrregularArrayAreAnsweredWhole() {
        StringBuilder ranges = new StringBuilder();
        for (int start = 0; ranges.length() < 9_970; start += 617) {
            ranges.append(ranges.length() > 0 ? "," : "").append(start).append('-').append(start + 400);
        }
        long array = s.submit(CoreScenario.spec().array(ranges.toString()));
        int tasks = s.job(array).array().pending().count();
        s.node("n1", 2);
        s.schedule();

        long began = System.nanoTime();
        ClientReply.ControlResult requeue = s.core.control().requeue(new ControlRequest.RequeueJob(array, null,
                ArrayIndexes.parse("0-999999"), false, null)).result();
        long requeued = System.nanoTime();
        ClientReply.CancelResult r = cancel(array, "0-999999");
        long ended = System.nanoTime();
        System.out.printf("a list of 1,000,000 ids over an array of %d tasks in %d ranges: requeue %.1f ms, cancel"
                + " %.1f ms%n", tasks, ranges.toString().split(",").length, (requeued - began) / 1e6,
                (ended - requeued) / 1e6);

        assertEquals(2, requeue.changed().count(), "the two running tasks");
        assertEquals(1_000_000 - tasks, requeue.missing().count());
        assertEquals(tasks, r.cancelled().count());
        assertEquals(1_000_000 - tasks, r.missing().count());
        assertNull(r.ended());
    }
}
