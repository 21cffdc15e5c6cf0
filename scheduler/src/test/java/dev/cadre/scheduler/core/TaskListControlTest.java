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
import dev.cadre.protocol.NodeCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol hold, uhold, release, requeue and requeuehold of 12_[LIST] in one request: one decision over the listed
 * tasks, and an answer that says of each listed task whether it changed, is missing, had ended, or was refused and
 * why; bad input changes nothing.
 */
class TaskListControlTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
    private final JobControl control = s.core.control();

    private ClientReply.ControlResult hold(long array, String tasks, boolean admin) {
        return s.holdTasks(array, tasks, admin);
    }

    private ClientReply.ControlResult release(long array, String tasks, boolean admin) {
        return s.releaseTasks(array, tasks, admin);
    }

    private ClientReply.ControlResult requeue(long array, String tasks, boolean hold) {
        return applied(control.requeue(new ControlRequest.RequeueJob(array, null, ArrayIndexes.parse(tasks), hold,
                null)));
    }

    private ClientReply.ControlResult applied(JobControl.Outcome<ClientReply.ControlResult> o) {
        s.apply(o.decisions());
        return o.result();
    }

    /** The task's own record, or else the unfinished part of the array that holds it pending. */
    private JobRecord task(long array, int task) {
        return s.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array
                && Integer.valueOf(task).equals(j.array().taskId())).findFirst()
                .or(() -> s.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array
                        && j.id() != array && j.array().pending() != null && j.array().pending().contains(task)
                        && !j.state().isTerminal()).findFirst())
                .orElse(null);
    }

    private long records(long array) {
        return s.stored.values().stream().filter(j -> j.array() != null && j.array().arrayJobId() == array).count();
    }

    private static String refusals(ClientReply.ControlResult r) {
        return r.refused() == null ? null : String.join(" | ", r.refused().stream().map(x -> x.tasks() + " "
                + x.state() + ": " + x.reason()).toList());
    }

    @Test
    void aHoldOfAListHoldsItsPendingTasksAndNamesTheRunningAndTheMissing() {
        s.node("n1", 2);
        long array = s.submit(CoreScenario.spec().array("0-9"));
        s.schedule();

        ClientReply.ControlResult r = hold(array, "1-3,9,12", false);

        assertTrue(r.ok(), r.reason());
        assertEquals(JobState.PENDING, r.state());
        assertEquals("2-3,9", r.changed().toString());
        assertEquals("12", r.missing().toString());
        assertNull(r.ended());
        assertEquals("1 RUNNING: job " + array + "_1 is RUNNING; only pending jobs can be held", refusals(r));
        assertEquals("4-8", s.job(array).array().pending().toString(), "the held tasks left the array's record");
        assertEquals(task(array, 2).id(), task(array, 9).id(), "they wait together, in one part of the array");
        for (int t : new int[] {2, 3, 9}) {
            assertEquals(JobSpec.HOLD_USER, task(array, t).spec().hold());
            assertEquals("JobHeldUser", task(array, t).reason());
        }
        s.finish(task(array, 0).id(), 0);
        s.finish(task(array, 1).id(), 0);
        s.schedule();
        assertEquals(JobState.RUNNING, task(array, 4).state(), "the next task not held starts");
        assertEquals(JobState.PENDING, task(array, 2).state());
    }

    @Test
    void aListOfEveryPendingTaskHoldsTheArraysRecordItselfAndAReleaseFreesThem() {
        long array = s.submit(CoreScenario.spec().array("0-99999"));

        ClientReply.ControlResult r = hold(array, "0-99999", true);

        assertEquals("0-99999", r.changed().toString());
        assertEquals(1, records(array), "no record per task");
        assertEquals(JobSpec.HOLD_ADMIN, s.job(array).spec().hold());
        assertEquals("JobHeldAdmin", s.job(array).reason());

        ClientReply.ControlResult user = release(array, "5-6", false);
        assertFalse(user.ok());
        assertNull(user.changed());
        assertEquals("5-6 PENDING: job " + array + "_[5-6] was held by an administrator; only an administrator can"
                + " release it", refusals(user));
        assertEquals(user.refused().get(0).reason(), user.reason());
        assertEquals(1, records(array), "a refusal splits nothing off");

        ClientReply.ControlResult admin = release(array, "5-6", true);
        assertEquals("5-6", admin.changed().toString());
        assertNull(task(array, 5).spec().hold());
        assertEquals(JobSpec.HOLD_ADMIN, s.job(array).spec().hold(), "the other tasks stay held");
        s.node("n1", 4);
        s.schedule();
        assertEquals(JobState.RUNNING, task(array, 5).state());
        assertEquals(JobState.RUNNING, task(array, 6).state());
        assertEquals(2, s.inState(JobState.RUNNING).size());
    }

    @Test
    void aReleaseNamesTheTasksThatAreNotHeldAndAUserHoldLeavesAnAdministratorsHold() {
        long array = s.submit(CoreScenario.spec().array("1-5"));
        hold(array, "1", true);
        hold(array, "2-3", false);

        ClientReply.ControlResult uhold = hold(array, "1-2", false);
        assertEquals("2", uhold.changed().toString());
        assertEquals("1 PENDING: job " + array + "_1 is held by an administrator; a user hold would let its user"
                + " release it, so it stays as it is", refusals(uhold));
        assertEquals(JobSpec.HOLD_ADMIN, task(array, 1).spec().hold());

        ClientReply.ControlResult r = release(array, "2-5", false);
        assertEquals("2-3", r.changed().toString());
        assertEquals("4-5 PENDING: job " + array + "_[4-5] is not held", refusals(r));
    }

    @Test
    void aRequeueOfAListStopsItsRunningTasksAndNamesThePendingAndTheEnded() {
        s.node("n1", 3);
        long array = s.submit(CoreScenario.spec().array("0-9"));
        s.schedule();
        s.finish(task(array, 2).id(), 0);
        int sentBefore = s.sent.size();

        ClientReply.ControlResult r = requeue(array, "0-3,5", true);

        assertTrue(r.ok(), r.reason());
        assertEquals(JobState.COMPLETING, r.state());
        assertEquals("0-1", r.changed().toString());
        assertEquals("2", r.ended().toString());
        assertEquals("3,5 PENDING: job " + array + "_[3,5] is PENDING; only a running job can be requeued",
                refusals(r));
        assertEquals(2, s.sent.subList(sentBefore, s.sent.size()).stream()
                .filter(m -> m instanceof NodeCommand.KillJob).count(), "one kill per running task");
        for (int t : new int[] {0, 1}) {
            assertEquals(JobState.COMPLETING, task(array, t).state());
            assertEquals(JobSpec.HOLD_USER, task(array, t).spec().hold(), "requeuehold holds it by its user");
        }
        s.killed(task(array, 0).id(), JobState.REQUEUED);
        s.schedule();
        assertEquals(JobState.PENDING, task(array, 0).state(), "queued again, and held");
        assertEquals(JobState.RUNNING, task(array, 3).state(), "the next task took its place");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        long single = s.submit(CoreScenario.spec());
        ArrayIndexes some = ArrayIndexes.parse("1-3");
        List<JobControl.Outcome<ClientReply.ControlResult>> both = List.of(
                control.hold(new ControlRequest.HoldJob(array, 2, some, false, null)),
                control.release(new ControlRequest.ReleaseJob(array, 2, some, false, null)),
                control.requeue(new ControlRequest.RequeueJob(array, 2, some, false, null)));
        for (var o : both) {
            assertFalse(o.result().ok());
            assertEquals("give taskId or tasks, not both", o.result().reason());
            assertTrue(o.decisions().isEmpty());
        }
        var outOfRange = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("20-25"), false,
                null));
        assertFalse(outOfRange.result().ok());
        assertEquals("20-25", outOfRange.result().missing().toString());
        assertEquals("no task of job " + array + "_[20-25] is pending", outOfRange.result().reason());
        assertTrue(outOfRange.decisions().isEmpty());

        var notArray = control.requeue(new ControlRequest.RequeueJob(single, null, some, false, null));
        assertFalse(notArray.result().ok());
        assertEquals("job " + single + " is not an array job, so it has no task 1-3", notArray.result().reason());
        assertEquals("1-3", notArray.result().missing().toString());
        assertTrue(notArray.decisions().isEmpty());

        var unknown = control.release(new ControlRequest.ReleaseJob(9999, null, some, true, null));
        assertFalse(unknown.result().ok());
        assertEquals("job 9999 is unknown or already finished", unknown.result().reason());
        assertTrue(unknown.decisions().isEmpty());

        assertEquals("0-9", s.job(array).array().pending().toString());
        assertEquals(1, records(array));
    }

    /**
     * A task's own record shares its array's spec: named with a task list (REST takes any job id), it is no array.
     * Before, every listed task was answered "ended", though some were pending or running in the array.
     */
    @Test
    void aListAddressedToATasksOwnIdIsRefusedAsNoArray() {
        s.node("n1", 1);
        long array = s.submit(CoreScenario.spec().array("0-9"));
        s.schedule();
        long task = task(array, 0).id();
        String why = "job " + task + " is " + array + "_0, of array " + array + ", not an array itself: name the"
                + " array's tasks as " + array + "_[...]";
        assertRefusedWhole(task, why);

        // Ended, it is still the task it was, not its array: answering every listed task "ended" would say so.
        s.finish(task, 0);
        assertTrue(s.job(task).state().isTerminal());
        assertRefusedWhole(task, why);
        assertEquals("1-9", s.job(array).array().pending().toString());
    }

    /** Every task-list request to the id is refused with this reason and no task sets (REST: 409), changing nothing. */
    private void assertRefusedWhole(long id, String why) {
        ArrayIndexes some = ArrayIndexes.parse("1-5");
        List<JobControl.Outcome<ClientReply.ControlResult>> answers = List.of(
                control.hold(new ControlRequest.HoldJob(id, null, some, false, null)),
                control.release(new ControlRequest.ReleaseJob(id, null, some, true, null)),
                control.requeue(new ControlRequest.RequeueJob(id, null, some, false, null)));
        for (JobControl.Outcome<ClientReply.ControlResult> o : answers) {
            assertFalse(o.result().ok());
            assertEquals(why, o.result().reason());
            assertFalse(o.result().perTask(), o.result().toString());
            assertTrue(o.decisions().isEmpty());
        }
        var cancel = control.cancel(new ControlRequest.CancelJob(id, null, some, null));
        assertFalse(cancel.result().ok());
        assertEquals(why, cancel.result().reason());
        assertNull(cancel.result().missing());
        assertNull(cancel.result().ended());
        assertTrue(cancel.decisions().isEmpty());
    }
}
