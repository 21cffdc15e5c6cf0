package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import org.junit.jupiter.api.Test;

/**
 * scancel 12_[LIST] in one request: the listed tasks among the array's pending record, its split-off pending tasks
 * and its running ones go in one decision, and the answer names the tasks that did not exist.
 */
class TaskListCancelTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private ClientReply.CancelResult cancel(long array, String tasks) {
        var o = s.core.control().cancel(new ClientRequest.CancelJob(array, null, ArrayIndexes.parse(tasks)));
        s.apply(o.decisions());
        return o.result();
    }

    private long cancelled(long array) {
        return s.inState(JobState.CANCELLED).stream().filter(j -> j.array() != null
                && j.array().arrayJobId() == array).count();
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
    }

    @Test
    void aSplitOffPendingTaskIsCancelledAndAListOfNothingLeftIsAllMissing() {
        long array = s.submit(CoreScenario.spec().array("1-5"));
        // A held task is split off its array's record.
        var held = s.core.control().hold(new ClientRequest.HoldJob(array, 3, false));
        s.apply(held.decisions());
        assertTrue(held.result().ok());

        ClientReply.CancelResult r = cancel(array, "2-3");
        assertEquals("2-3", r.cancelled().toString());
        assertNull(r.missing());
        assertEquals(JobState.CANCELLED, r.state());

        ClientReply.CancelResult again = cancel(array, "2-3");
        assertFalse(again.ok());
        assertEquals("2-3", again.missing().toString());
        assertNull(again.cancelled());
        assertEquals("1,4-5", s.job(array).array().pending().toString());
    }

    @Test
    void aTaskIdBesideATaskListIsRefused() {
        long array = s.submit(CoreScenario.spec().array("1-5").hold(JobSpec.HOLD_USER));
        var o = s.core.control().cancel(new ClientRequest.CancelJob(array, 2, ArrayIndexes.parse("1-3")));
        assertFalse(o.result().ok());
        assertTrue(o.decisions().changes().isEmpty());
    }
}
