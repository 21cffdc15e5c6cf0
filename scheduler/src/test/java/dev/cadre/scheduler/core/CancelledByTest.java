package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Who cancelled a job (sacct's "CANCELLED by") goes with the change that carries the cancel out: a pending job's
 * end at once, a running one's kill order (stored before the node confirms) and its confirmed end, every record a
 * task list or a whole-array cancel ends. The scheduler's own cancels and cancels that name nobody leave it empty.
 */
class CancelledByTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);

    private ClientReply.CancelResult cancel(ControlRequest.CancelJob request) {
        var o = s.core.control().cancel(request);
        s.apply(o.decisions());
        return o.result();
    }

    /** Who each job that ended CANCELLED was cancelled by, as the store keeps the name from the change naming it. */
    private Map<Long, String> cancellers() {
        Map<Long, String> named = new TreeMap<>();
        for (JobChange c : s.changes) {
            if (c.cancelledBy() != null) {
                named.put(c.job().id(), c.cancelledBy());
            }
        }
        named.keySet().removeIf(id -> s.job(id).state() != JobState.CANCELLED);
        return named;
    }

    private List<Long> cancelledIds() {
        return s.inState(JobState.CANCELLED).stream().map(JobRecord::id).collect(Collectors.toList());
    }

    @Test
    void aPendingJobIsCancelledByItsUserAtOnce() {
        long job = s.submit(CoreScenario.spec());
        long anonymous = s.submit(CoreScenario.spec());

        assertTrue(cancel(new ControlRequest.CancelJob(job, null, null, "alice", null)).ok());
        assertTrue(cancel(new ControlRequest.CancelJob(anonymous)).ok());

        assertEquals(List.of(job, anonymous), cancelledIds());
        assertEquals(Map.of(job, "alice"), cancellers(), "a cancel that names nobody leaves it empty");
    }

    @Test
    void aRunningJobKeepsItsCancellerFromTheKillOrderToTheNodesConfirmation() {
        s.node("n1", 1);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(job).state());

        ClientReply.CancelResult r = cancel(new ControlRequest.CancelJob(job, null, null, "bob", null));
        assertEquals(JobState.COMPLETING, r.state());
        JobChange kill = s.changes.get(s.changes.size() - 1);
        assertEquals(JobState.COMPLETING, kill.job().state());
        assertEquals("bob", kill.cancelledBy(), "stored with the kill's order: it outlasts a restart of the head");

        s.killed(job, JobState.CANCELLED);
        JobChange end = s.changes.get(s.changes.size() - 1);
        assertEquals(JobState.CANCELLED, end.job().state());
        assertEquals("bob", end.cancelledBy(), "the confirmation names them again, for its event");
        assertEquals(Map.of(job, "bob"), cancellers());
    }

    @Test
    void aCancelOfAJobBeingStoppedAlreadyKeepsTheFirstCanceller() {
        s.node("n1", 1);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        cancel(new ControlRequest.CancelJob(job, null, null, "bob", null));
        ClientReply.CancelResult again = cancel(new ControlRequest.CancelJob(job, null, null, "carol", null));
        assertEquals("job " + job + " is already being stopped", again.reason());
        s.killed(job, JobState.CANCELLED);
        assertEquals(Map.of(job, "bob"), cancellers());
    }

    @Test
    void everyRecordATaskListOrAWholeArrayCancelEndsKeepsTheCanceller() {
        s.node("n1", 1);
        long array = s.submit(CoreScenario.spec().array("0-9"));
        s.schedule();
        JobRecord running = s.inState(JobState.RUNNING).get(0);

        // One pending task, split off the array's record.
        assertTrue(cancel(new ControlRequest.CancelJob(array, 5, null, "carol", null)).ok());
        // A list: the running task is killed, pending ones leave together in one record.
        assertTrue(cancel(new ControlRequest.CancelJob(array, null, ArrayIndexes.parse("0-3"), "dave", null)).ok());
        s.killed(running.id(), JobState.CANCELLED);
        // The rest of the array, as one.
        assertTrue(cancel(new ControlRequest.CancelJob(array, null, null, "erin", null)).ok());

        Map<Long, String> by = cancellers();
        assertEquals(s.inState(JobState.CANCELLED).size(), by.size(), "every cancelled record names its canceller: "
                + by);
        Map<String, List<String>> shown = new TreeMap<>();
        by.forEach((id, user) -> shown.computeIfAbsent(user, u -> new java.util.ArrayList<>())
                .add(s.job(id).displayId()));
        assertEquals(List.of(array + "_5"), shown.get("carol"));
        assertEquals(List.of(array + "_0", array + "_[1-3]"), shown.get("dave").stream().sorted().toList());
        assertEquals(List.of(array + "_[4,6-9]"), shown.get("erin"), "the array's record, ending holding the rest");
        assertEquals(0, s.inState(JobState.PENDING).size());
    }

    @Test
    void theSchedulersOwnCancelsNameNobody() {
        long first = s.submit(CoreScenario.spec());
        long dependent = s.submit(CoreScenario.spec().dependency("afterok:" + first));
        cancel(new ControlRequest.CancelJob(first, null, null, "alice", null));
        s.node("n1", 1);
        s.schedule();
        assertEquals(JobState.CANCELLED, s.job(dependent).state());
        assertEquals(Eligibility.NEVER_SATISFIED, s.job(dependent).reason());
        // A service scaled down or deleted goes through the same cancel, naming nobody.
        long instance = s.submit(CoreScenario.spec());
        s.apply(s.core.cancel(instance).decisions());
        assertEquals(JobState.CANCELLED, s.job(instance).state());

        assertEquals(Map.of(first, "alice"), cancellers());
    }

    @Test
    void aUserThatIsNoUserNameIsRefusedNamingTheFieldAndChangesNothing() {
        long job = s.submit(CoreScenario.spec());
        int before = s.changes.size();

        ClientReply.CancelResult r = cancel(new ControlRequest.CancelJob(job, null, null, "not a name", null));

        assertFalse(r.ok());
        assertEquals("user " + JobSpecValidator.USER_RULE, r.reason());
        assertEquals(before, s.changes.size());
        assertEquals(JobState.PENDING, s.job(job).state());
        ClientReply.CancelResult list = cancel(new ControlRequest.CancelJob(job, null, ArrayIndexes.parse("1"),
                "x\ny", null));
        assertFalse(list.ok());
        assertEquals("user " + JobSpecValidator.USER_RULE, list.reason());
    }
}
