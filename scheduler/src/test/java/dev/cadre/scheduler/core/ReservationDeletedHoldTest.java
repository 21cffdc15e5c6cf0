package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * reservation, held (priority 0) with reason ReservationDeleted, which its user's release ends; it then runs outside
 * any reservation. A job an administrator holds keeps that hold and leaves the reservation all the same.
 */
class ReservationDeletedHoldTest {
    private static void delete(CoreScenario s, String name) {
        var o = s.core.judge(new ReservationRequest.DeleteReservation(name, "root", true));
        assertTrue(o.reply().ok(), o.reply().toString());
        s.core.reservations().apply(o);
        s.apply(s.core.holdJobsOfGoneReservations());
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
        assertEquals("ReservationDeleted", s.job(waiting).reason());
        assertNull(s.job(adminHeld).spec().reservation());
        assertEquals(JobSpec.HOLD_ADMIN, s.job(adminHeld).spec().hold(), "an administrator's hold stays as it is");

        s.clock.advance(Duration.ofHours(3));
        s.schedule();
        assertEquals(JobState.PENDING, s.job(waiting).state());
        assertEquals("ReservationDeleted", s.job(waiting).reason(), "held, and saying why, pass after pass");
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

        s.clock.advance(Duration.ofMinutes(31));
        AdvanceReservationTest.expire(s);
        s.apply(s.core.holdJobsOfGoneReservations());
        s.schedule();
        assertEquals("ReservationDeleted", s.job(big).reason());
        assertEquals(JobSpec.HOLD_USER, s.job(big).spec().hold());
        assertTrue(s.core.holdJobsOfGoneReservations().respecified().isEmpty(), "held once, not again");
    }
}
