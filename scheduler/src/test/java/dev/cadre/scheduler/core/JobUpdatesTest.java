package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job-updated and array-part-joined events a decision publishes: a subscriber that applies a decision's events
 * in order (job-state-changed first, then these) ends with the records as stored.
 */
class JobUpdatesTest {
    private final CoreScenario s = new CoreScenario(PlacementPolicy.Kind.FCFS);
    private final JobControl control = s.core.control();

    private List<JobEvent> updates(Decisions d) {
        s.apply(d);
        return JobUpdates.of(d, s.clock.instant());
    }

    private static JobEvent.JobUpdated only(List<JobEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return (JobEvent.JobUpdated) events.get(0);
    }

    @Test
    void aHoldAndAReleaseAnnounceTheHoldAndTheReasonSqueueShows() {
        long job = s.submit(CoreScenario.spec().name("sim"));
        Instant now = s.clock.instant();

        var held = only(updates(control.hold(new ControlRequest.HoldJob(job, null, false, null)).decisions()));
        assertEquals(new JobEvent.JobUpdated(job, "alice", "sim", JobState.PENDING, "JobHeldUser", JobSpec.HOLD_USER,
                600L, null, null, now, null, null), held);

        assertTrue(updates(control.hold(new ControlRequest.HoldJob(job, null, false, null)).decisions()).isEmpty(),
                "a hold of a held job changes nothing and announces nothing");

        var released = only(updates(control.release(new ControlRequest.ReleaseJob(job, null, false, null))
                .decisions()));
        assertNull(released.hold());
        assertEquals("None", released.reason());
    }

    @Test
    void anUpdateAnnouncesTheFieldsItChanged() {
        long job = s.submit(CoreScenario.spec());
        var updated = only(updates(control.update(new ControlRequest.UpdateJob(job, null, 1200L, 5000L, 7, "renamed"))
                .decisions()));
        assertEquals("renamed", updated.name());
        assertEquals(1200L, updated.timeLimitSeconds());
        assertEquals(5000L, updated.priority());
        assertEquals(7, updated.nice());
        assertEquals(JobState.PENDING, updated.state());
    }

    @Test
    void aRunningJobsNewLimitIsAnnouncedWithItsState() {
        s.node("n1", 4);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        var updated = only(updates(control.update(new ControlRequest.UpdateJob(job, null, 1800L, null, null, null))
                .decisions()));
        assertEquals(JobState.RUNNING, updated.state());
        assertEquals(1800L, updated.timeLimitSeconds());
    }

    /** The hold is set before the stop: announced as the decision leaves the job, not as RUNNING after its stop. */
    @Test
    void aRequeueWithAHoldAnnouncesTheHoldWithTheStateTheRequeueLeft() {
        s.node("n1", 4);
        long job = s.submit(CoreScenario.spec());
        s.schedule();
        var updated = only(updates(control.requeue(new ControlRequest.RequeueJob(job, null, true, null))
                .decisions()));
        assertEquals(JobSpec.HOLD_USER, updated.hold());
        assertEquals(s.job(job).state(), updated.state());
        assertEquals(JobState.COMPLETING, updated.state());
    }

    /**
     * A list's part is announced by its creation event as it was split off, not yet held; the job-updated after it
     * says it is held. Its release joins it to the array's record again: no job-updated for a record that is gone,
     * one array-part-joined naming where its tasks went.
     */
    @Test
    void aListsPartIsAnnouncedHeldAndItsJoinNamesTheRecordThatTookItsTasks() {
        long array = s.submit(CoreScenario.spec().array("0-99"));
        Decisions hold = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("10-19"), false,
                null)).decisions();
        JobRecord part = hold.inserted().get(0);
        var created = hold.events().stream().filter(e -> e.jobId() == part.id()).toList();
        assertEquals(1, created.size());
        assertNull(created.get(0).previous());
        assertEquals("None", created.get(0).reason(), "the creation event shows the part as split off");

        List<JobEvent> holdEvents = updates(hold);
        assertEquals(2, holdEvents.size(), holdEvents.toString());
        var left = (JobEvent.JobUpdated) holdEvents.get(0);
        assertEquals(array, left.jobId(), "the array's record, left holding the rest, is announced");
        assertNull(left.hold());
        var held = (JobEvent.JobUpdated) holdEvents.get(1);
        assertEquals(part.id(), held.jobId());
        assertEquals(array, held.arrayJobId(), "a part says whose it is");
        assertNull(held.arrayTaskId(), "and runs no one task");
        assertEquals(array, created.get(0).arrayJobId());
        assertEquals("JobHeldUser", held.reason());
        assertEquals(s.job(part.id()).reason(), held.reason());

        List<JobEvent> release = updates(control.release(new ControlRequest.ReleaseJob(array, null,
                ArrayIndexes.parse("10-19"), false, null)).decisions());
        assertEquals(2, release.size(), release.toString());
        assertEquals(array, ((JobEvent.JobUpdated) release.get(0)).jobId(), "the record that took the tasks");
        assertEquals(new JobEvent.ArrayPartJoined(part.id(), array, array, "alice", s.clock.instant()),
                release.get(1));
        assertNull(s.job(part.id()), "the part is gone from the store");
    }

    /** Tasks split off a part that differs from its array's record carry the part's spec: starting them is no update. */
    @Test
    void aPassStartingTasksOfAPartAnnouncesNoUpdate() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        updates(control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("3-5"), false, null))
                .decisions());
        long part = s.stored.values().stream().filter(j -> j.id() != array && j.array() != null).findFirst()
                .orElseThrow().id();
        only(updates(control.update(new ControlRequest.UpdateJob(part, null, 1200L, null, null, null)).decisions()));
        only(updates(control.release(new ControlRequest.ReleaseJob(part, null, false, null)).decisions()));
        s.node("n1", 16);
        Decisions pass = s.core.schedule();
        assertEquals(3, pass.events().stream().filter(e -> e.state() == JobState.RUNNING && e.arrayTaskId() != null
                && e.arrayTaskId() >= 3 && e.arrayTaskId() <= 5).count(),
                "the pass started every task of the part: " + pass.events());
        assertEquals(List.of(), updates(pass), "a pass changes no spec");
    }

    /**
     * Listed tasks that join a record already as they are to be change no spec, only which tasks the two records
     * hold; each is announced, as its id as squeue shows it ({@code 12_[3-5]}) and what it holds changed.
     */
    @Test
    void listedTasksMovedIntoARecordAlreadyAsTheyAreToBeAnnounceBothRecords() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        Decisions first = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("3-5"), false, null))
                .decisions();
        long part = first.inserted().get(0).id();
        updates(first);

        Decisions more = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("6-7"), false, null))
                .decisions();
        assertEquals(List.of(), more.inserted(), "the tasks joined the held part");
        assertEquals(List.of(), more.events(), "no state changed");
        List<JobEvent> held = updates(more);
        assertEquals(List.of(array, part), held.stream().map(e -> ((JobEvent.JobUpdated) e).jobId()).toList(), held.toString());
        var toArray = (JobEvent.JobUpdated) held.get(0);
        var toPart = (JobEvent.JobUpdated) held.get(1);
        assertNull(toArray.hold(), "the array's record is as it was");
        assertEquals(JobSpec.HOLD_USER, toPart.hold());
        assertEquals("JobHeldUser", toPart.reason());
        assertEquals(array, toPart.arrayJobId());
        assertEquals("3-7", s.job(part).array().pending().toString());

        List<JobEvent> released = updates(control.release(new ControlRequest.ReleaseJob(array, null,
                ArrayIndexes.parse("3"), false, null)).decisions());
        assertEquals(List.of(part, array), released.stream().map(e -> ((JobEvent.JobUpdated) e).jobId()).toList(), released.toString());
        assertEquals("4-7", s.job(part).array().pending().toString());
        assertTrue(s.job(array).array().pending().contains(3));
    }

    /**
     * Every request that takes tasks out of a record it leaves pending announces that record (squeue's range of it
     * changed): a task held alone, and a cancelled list. A part a cancel ends whole is announced by its end alone.
     */
    @Test
    void aRecordLeftHoldingFewerTasksByARequestIsAnnouncedButNotOneThatEnded() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        List<JobEvent> one = updates(control.hold(new ControlRequest.HoldJob(array, 4, false, null)).decisions());
        assertEquals(2, one.size(), one.toString());
        assertEquals(array, ((JobEvent.JobUpdated) one.get(0)).jobId(), "the array's record, without task 4");
        assertEquals(4, ((JobEvent.JobUpdated) one.get(1)).arrayTaskId(), "the task, held");

        List<JobEvent> cancel = updates(control.cancel(new ControlRequest.CancelJob(array, null,
                ArrayIndexes.parse("6-7"))).decisions());
        assertEquals(1, cancel.size(), cancel.toString());
        assertEquals(array, ((JobEvent.JobUpdated) cancel.get(0)).jobId());
        assertEquals("0-3,5,8-9", s.job(array).array().pending().toString());

        Decisions hold = control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("8-9"), false, null))
                .decisions();
        long part = hold.inserted().get(0).id();
        updates(hold);
        List<JobEvent> ended = updates(control.cancel(new ControlRequest.CancelJob(array, null,
                ArrayIndexes.parse("8-9"))).decisions());
        assertEquals(List.of(), ended, "the part ended whole: its job-state-changed says so");
        assertTrue(s.job(part) == null || s.job(part).state().isTerminal());

        List<JobEvent> rest = updates(control.cancel(new ControlRequest.CancelJob(array, null,
                ArrayIndexes.parse("0-3,5"))).decisions());
        assertEquals(List.of(), rest, "every task the array's record held ended, the record with its last one");
    }

    /** A hold of a task inside a part held so already: nothing to split off, store or announce, and answered ok. */
    @Test
    void aHoldOfATaskInsideAPartHeldSoAlreadySplitsNothing() {
        long array = s.submit(CoreScenario.spec().array("0-9"));
        updates(control.hold(new ControlRequest.HoldJob(array, null, ArrayIndexes.parse("3-5"), false, null))
                .decisions());
        var again = control.hold(new ControlRequest.HoldJob(array, 4, false, null));
        assertTrue(again.result().ok(), again.result().toString());
        assertEquals(List.of(), again.decisions().inserted());
        assertEquals(List.of(), again.decisions().events());
        assertEquals(List.of(), updates(again.decisions()));
        var release = control.release(new ControlRequest.ReleaseJob(array, 7, false, null));
        assertEquals(List.of(), release.decisions().inserted(), "a release of a task that is not held splits nothing");
        assertEquals(List.of(), release.decisions().changes(), "and changes nothing: " + release.result());
        assertEquals(List.of(), updates(release.decisions()));
    }

    @Test
    void aDecisionThatChangesNoSpecAnnouncesNothingHere() {
        s.node("n1", 4);
        s.submit(CoreScenario.spec());
        assertTrue(updates(s.core.schedule()).isEmpty());
    }
}
