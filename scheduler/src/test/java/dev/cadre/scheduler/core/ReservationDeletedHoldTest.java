package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ReservationRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A pending job whose reservation is deleted, or ends, is held as slurmctld's _clear_job_resv holds it: out of the
 * reservation, held (priority 0) with reason "Reservation NAME was deleted" (its state_desc), which its user's release
 * ends; it then runs outside any reservation. A job an administrator holds keeps that hold and leaves the reservation
 * all the same. With NO_HOLD_JOBS_AFTER_END the jobs leave it unheld and run outside it.
 */
class ReservationDeletedHoldTest {
    /** As the head's shell deletes one: the reservation as it was tells whether its jobs are held. */
    private static void delete(CoreScenario s, String name) {
        List<AdvanceReservation> gone = s.core.reservations().list().stream().filter(r -> r.name().equals(name))
                .toList();
        var o = s.core.judge(new ReservationRequest.DeleteReservation(name, "root", true));
        assertTrue(o.reply().ok(), o.reply().toString());
        s.core.reservations().apply(o);
        s.apply(s.core.holdJobsOfGoneReservations(gone));
    }

    /** As the head's shell ends them: the reservations that ended, as they were, tell whether their jobs are held. */
    private static void endAfter(CoreScenario s, Duration d) {
        s.clock.advance(d);
        List<AdvanceReservation> ended = s.core.reservations().ended(s.clock.instant());
        AdvanceReservationTest.expire(s);
        s.apply(s.core.holdJobsOfGoneReservations(ended));
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobOfADeletedReservationIsHeldUntilItsUserReleasesItThenRunsOutside(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        AdvanceReservationTest.create(s, "r", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("alice"));
        long waiting = s.submit(CoreScenario.spec().user("alice").reservation("r"));
        long adminHeld = s.submit(CoreScenario.spec().user("alice").reservation("r").hold(JobSpec.HOLD_ADMIN));
        s.schedule();
        assertEquals("Reservation", s.job(waiting).reason());

        delete(s, "r");
        assertNull(s.job(waiting).spec().reservation(), "it leaves the reservation");
        assertEquals(JobSpec.HOLD_USER, s.job(waiting).spec().hold());
        assertEquals("Reservation r was deleted", s.job(waiting).reason());
        assertNull(s.job(adminHeld).spec().reservation());
        assertEquals(JobSpec.HOLD_ADMIN, s.job(adminHeld).spec().hold(), "an administrator's hold stays as it is");

        s.clock.advance(Duration.ofHours(3));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(waiting).state());
        assertEquals("Reservation r was deleted", s.job(waiting).reason(), "held, and saying why, pass after pass");
        assertEquals("JobHeldAdmin", s.job(adminHeld).reason());

        var released = s.core.control().release(new ControlRequest.ReleaseJob(waiting, null, false));
        s.apply(released.decisions());
        assertTrue(released.result().ok(), "its user may release it");
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(waiting).state(), "it runs outside any reservation");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobOfAReservationThatEndedIsHeldToo(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 1);
        s.node("n2", 4);
        AdvanceReservationTest.create(s, "short", Duration.ZERO, Duration.ofMinutes(30), "n1", List.of("alice"));
        long big = s.submit(CoreScenario.spec().user("alice").reservation("short").tasks(2));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(big).state(), "its one node is too small");

        endAfter(s, Duration.ofMinutes(31));
        s.schedule();
        assertEquals("Reservation short was deleted", s.job(big).reason());
        assertEquals(JobSpec.HOLD_USER, s.job(big).spec().hold());
        assertTrue(s.core.holdJobsOfGoneReservations(List.of()).respecified().isEmpty(), "held once, not again");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void withNoHoldJobsAfterEndItsJobsLeaveUnheldAndRunOutside(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        AdvanceReservationTest.create(s, "later", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("alice"),
                AdvanceReservation.NO_HOLD_JOBS_AFTER_END);
        AdvanceReservationTest.create(s, "short", Duration.ZERO, Duration.ofMinutes(30), "n2", List.of("alice"),
                AdvanceReservation.NO_HOLD_JOBS_AFTER_END);
        long waiting = s.submit(CoreScenario.spec().user("alice").reservation("later"));
        long adminHeld = s.submit(CoreScenario.spec().user("alice").reservation("later").hold(JobSpec.HOLD_ADMIN));
        long big = s.submit(CoreScenario.spec().user("alice").reservation("short").tasks(8));
        s.schedule();
        assertEquals("Reservation", s.job(waiting).reason());
        assertEquals(JobState.PENDING, s.job(big).state(), "its one node is too small");

        delete(s, "later");
        assertNull(s.job(waiting).spec().reservation(), "it leaves the reservation");
        assertNull(s.job(waiting).spec().hold(), "and is not held");
        assertEquals(JobSpec.HOLD_ADMIN, s.job(adminHeld).spec().hold(), "an administrator's hold stays as it is");
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(waiting).state(), "it runs outside any reservation at once");

        endAfter(s, Duration.ofMinutes(31));
        assertNull(s.job(big).spec().reservation());
        assertNull(s.job(big).spec().hold(), "a job of one that ended is not held either");
        s.schedule();
        assertEquals(JobState.PENDING, s.job(big).state());
        assertEquals("Resources", s.job(big).reason(), "it waits for room as any job does");
    }
}
