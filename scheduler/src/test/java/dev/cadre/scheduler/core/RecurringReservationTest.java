package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reservations with Flags=DAILY and the like, in the core with a fake clock: one that ends moves on to its next
 * occurrence instead of being deleted, jobs outside it are kept off every occurrence their limit would reach, and a
 * job in it runs in each occurrence and waits between them; two recurring flags, or a second one by update, are
 * refused in slurmctld's words.
 */
class RecurringReservationTest {
    /** What the head's shell does each pass: ended reservations are deleted, recurring ones moved on. */
    static void expireAndRenew(CoreScenario s) {
        AdvanceReservationTest.expire(s);
        s.core.reservations().renewed(s.clock.instant()).forEach(s.core.reservations()::renew);
    }

    private static AdvanceReservation only(CoreScenario s) {
        return s.core.reservations().list().get(0);
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aDailyMaintenanceWindowMovesOnAndKeepsOffJobsThatWouldReachAnyOccurrence(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        assertTrue(AdvanceReservationTest.create(s, "nightly", Duration.ofHours(1), Duration.ofHours(1), "n1",
                List.of("root"), "MAINT", "DAILY").ok());
        s.clock.advance(Duration.ofMinutes(150));
        expireAndRenew(s);
        AdvanceReservation next = only(s);
        assertEquals(Instant.parse("2026-11-22T11:00:00Z"), next.startTime(), "moved on a day, not deleted");
        assertEquals(Instant.parse("2026-11-22T12:00:00Z"), next.endTime());
        assertEquals(List.of("MAINT", "DAILY", "SPEC_NODES"), next.flags());

        // 12:30: 22 hours end at 10:30, before tomorrow's window; 23 hours reach it.
        long fits = s.submit(CoreScenario.spec().timeLimitSeconds(22 * 3600L).tasks(4));
        long reaches = s.submit(CoreScenario.spec().timeLimitSeconds(23 * 3600L));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(fits).state());
        assertEquals(JobState.PENDING, s.job(reaches).state());
        s.finish(fits, 0);
        s.schedule();
        assertEquals("ReqNodeNotAvail, Reserved for maintenance", s.job(reaches).reason(), "every night's window"
                + " keeps 23 hours off");
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobOutsideIsKeptOffALaterOccurrenceEvenBeforeTheReservationMovesOn(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        assertTrue(AdvanceReservationTest.create(s, "hourly", Duration.ofMinutes(5), Duration.ofMinutes(30), "n1",
                List.of("root"), "MAINT", "HOURLY").ok());
        s.clock.advance(Duration.ofHours(5));
        // 15:00, not moved on yet: its stored occurrence ended hours ago, but the next is from 15:05 to 15:35.
        long fourMinutes = s.submit(CoreScenario.spec().timeLimitSeconds(240L));
        long tenMinutes = s.submit(CoreScenario.spec().timeLimitSeconds(600L));
        long twoHours = s.submit(CoreScenario.spec().timeLimitSeconds(7200L));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(fourMinutes).state());
        assertEquals(JobState.PENDING, s.job(tenMinutes).state(), "it would reach 15:05");
        assertEquals(JobState.PENDING, s.job(twoHours).state());
    }

    @ParameterizedTest
    @EnumSource(PlacementPolicy.Kind.class)
    void aJobInARecurringReservationRunsInAnOccurrenceAndWaitsBetweenThem(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        assertTrue(AdvanceReservationTest.create(s, "mornings", Duration.ofMinutes(-5), Duration.ofHours(2), "n2",
                List.of("alice"), "WEEKDAY").ok());
        long first = s.submit(CoreScenario.spec().reservation("mornings").timeLimitSeconds(null));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(first).state());
        assertEquals("n2", s.job(first).allocation().hostnames());
        assertEquals(6900L, s.job(first).spec().timeLimitSeconds(), "cut to this occurrence's end, 11:55");
        s.finish(first, 0);
        s.clock.advance(Duration.ofHours(2));
        expireAndRenew(s);
        // 2026-11-21 is a Saturday: the next weekday occurrence is Monday's.
        assertEquals(Instant.parse("2026-11-23T09:55:00Z"), only(s).startTime());
        long second = s.submit(CoreScenario.spec().reservation("mornings"));
        s.schedule();
        assertEquals("Reservation", s.job(second).reason());
        s.clock.advance(Duration.between(s.clock.instant(), Instant.parse("2026-11-23T09:55:00Z")));
        s.schedule();
        assertEquals(JobState.RUNNING, s.job(second).state());
    }

    @ParameterizedTest
    @EnumSource(value = PlacementPolicy.Kind.class, names = "EASY")
    void recurrenceFollowsTheHeadsTimeZone(PlacementPolicy.Kind policy) {
        ZoneId newYork = ZoneId.of("America/New_York");
        CoreScenario s = new CoreScenario(policy, new MutableClock(Instant.parse("2026-03-07T13:00:00Z"), newYork));
        s.node("n1", 4);
        AdvanceReservationTest.create(s, "r", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("root"),
                "DAILY");
        s.clock.advance(Duration.ofHours(3));
        expireAndRenew(s);
        assertEquals(Instant.parse("2026-03-08T13:00:00Z"), only(s).startTime(), "09:00 local again, summer time");
    }

    @ParameterizedTest
    @EnumSource(value = PlacementPolicy.Kind.class, names = "EASY")
    void twoRecurringFlagsAreRefusedAsSlurmRefusesThem(PlacementPolicy.Kind policy) {
        CoreScenario s = new CoreScenario(policy);
        s.node("n1", 4);
        s.node("n2", 4);
        var two = AdvanceReservationTest.create(s, "x", Duration.ofHours(1), Duration.ofHours(1), "n1",
                List.of("root"), "DAILY", "WEEKLY");
        assertEquals(ReservationRefusal.NOT_SUPPORTED, two.code());
        assertEquals("Reservation has multiple reoccurring flags. Please specify only one reoccurring flag",
                two.reason());
        assertTrue(s.core.reservations().list().isEmpty());

        AdvanceReservationTest.create(s, "d", Duration.ofHours(1), Duration.ofHours(1), "n1", List.of("root"),
                "DAILY");
        var second = s.core.judge(update("d", List.of("WEEKLY"), null));
        assertEquals(ReservationRefusal.NOT_SUPPORTED, second.reply().code());
        assertTrue(second.reply().reason().startsWith("Cannot update reservation to have multiple reoccurring"
                + " flags. Please specify only one reoccurring flag"), second.reply().reason());
        var swapped = s.core.judge(update("d", List.of("WEEKLY"), List.of("DAILY")));
        assertTrue(swapped.reply().ok(), "taken away first, then added, as update_resv: " + swapped.reply());
        assertEquals(List.of("WEEKLY", "SPEC_NODES"), swapped.stored().flags());

        // Tomorrow 10:00 on n2 for an hour meets the daily one's second occurrence there.
        AdvanceReservationTest.create(s, "n2daily", Duration.ofMinutes(30), Duration.ofHours(1), "n2",
                List.of("root"), "DAILY");
        var clash = AdvanceReservationTest.create(s, "tomorrow", Duration.ofHours(24), Duration.ofHours(1), "n2",
                List.of("bob"));
        assertEquals(ReservationRefusal.OVERLAP, clash.code(), clash.reason());
    }

    static ReservationRequest.UpdateReservation update(String name, List<String> add, List<String> remove) {
        return new ReservationRequest.UpdateReservation(name, null, null, null, null, null, null, null, null, null,
                add, remove, "root", true);
    }
}
