package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.AdvanceReservation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The occurrences of recurring reservations, as slurmctld's _advance_resv_time moves them: in UTC, which has no
 * summer time, and in a zone that has (New York, which springs forward on 2026-03-08 and falls back on 2026-11-01),
 * where DAILY and WEEKLY keep the local time and HOURLY keeps the hour's length.
 */
class RecurrenceTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static AdvanceReservation r(String flag, String start, Duration lasting, ZoneId zone) {
        Instant s = LocalDateTime.parse(start).atZone(zone).toInstant();
        return new AdvanceReservation("r", s, s.plus(lasting), List.of("n1"), List.of("alice"), List.of(flag));
    }

    private static String local(Instant t, ZoneId zone) {
        return t.atZone(zone).toLocalDateTime().toString();
    }

    @Test
    void eachRecurrenceMovesOnAsSlurmDoesInUtc() {
        Duration hour = Duration.ofHours(1);
        assertEquals("2026-11-23T11:00", local(Recurrence.next(r("HOURLY", "2026-11-23T10:00", hour, UTC), UTC)
                .startTime(), UTC));
        assertEquals("2026-11-24T10:00", local(Recurrence.next(r("DAILY", "2026-11-23T10:00", hour, UTC), UTC)
                .startTime(), UTC));
        assertEquals("2026-11-30T10:00", local(Recurrence.next(r("WEEKLY", "2026-11-23T10:00", hour, UTC), UTC)
                .startTime(), UTC));
        // 2026-11-27 is a Friday: WEEKDAY goes on to Monday, WEEKEND to Saturday, then Sunday, then Saturday.
        AdvanceReservation weekday = r("WEEKDAY", "2026-11-27T09:00", Duration.ofHours(8), UTC);
        assertEquals("2026-11-30T09:00", local(Recurrence.next(weekday, UTC).startTime(), UTC));
        assertEquals("2026-11-30T17:00", local(Recurrence.next(weekday, UTC).endTime(), UTC));
        AdvanceReservation weekend = Recurrence.next(r("WEEKEND", "2026-11-25T00:00", Duration.ofDays(1), UTC), UTC);
        assertEquals("2026-11-28T00:00", local(weekend.startTime(), UTC));
        weekend = Recurrence.next(weekend, UTC);
        assertEquals("2026-11-29T00:00", local(weekend.startTime(), UTC));
        assertEquals("2026-12-05T00:00", local(Recurrence.next(weekend, UTC).startTime(), UTC));
        // One begun on a Saturday, which Slurm allows, goes on to Monday.
        assertEquals("2026-11-30T09:00", local(Recurrence.next(r("WEEKDAY", "2026-11-28T09:00", hour, UTC), UTC)
                .startTime(), UTC));
        AdvanceReservation once = new AdvanceReservation("o", weekday.startTime(), weekday.endTime(), List.of("n1"),
                List.of("alice"), List.of("MAINT"));
        assertEquals(once, Recurrence.next(once, UTC), "one that does not recur has only itself");
    }

    @Test
    void dailyAndWeeklyKeepTheLocalTimeAcrossSummerTimeAndHourlyKeepsTheHour() {
        AdvanceReservation daily = r("DAILY", "2026-03-07T09:00", Duration.ofHours(2), NEW_YORK);
        AdvanceReservation sunday = Recurrence.next(daily, NEW_YORK);
        assertEquals("2026-03-08T09:00", local(sunday.startTime(), NEW_YORK));
        assertEquals(Duration.ofHours(23), Duration.between(daily.startTime(), sunday.startTime()),
                "the day summer time begins is 23 hours long");
        assertEquals(Duration.ofHours(2), Duration.between(sunday.startTime(), sunday.endTime()));
        AdvanceReservation weekly = r("WEEKLY", "2026-10-29T22:00", Duration.ofHours(1), NEW_YORK);
        assertEquals("2026-11-05T22:00", local(Recurrence.next(weekly, NEW_YORK).startTime(), NEW_YORK));
        AdvanceReservation hourly = r("HOURLY", "2026-11-01T00:30", Duration.ofMinutes(15), NEW_YORK);
        for (int i = 0; i < 3; i++) {
            hourly = Recurrence.next(hourly, NEW_YORK);
        }
        assertEquals(Instant.parse("2026-11-01T07:30:00Z"), hourly.startTime(), "three hours on, the 01:00 hour"
                + " passing twice");
        assertEquals("2026-11-01T02:30", local(hourly.startTime(), NEW_YORK));
        assertNull(Recurrence.activeAt(daily, LocalDateTime.parse("2026-03-09T08:59").atZone(NEW_YORK).toInstant(),
                NEW_YORK));
        assertEquals("2026-03-09T09:00", local(Recurrence.activeAt(daily, LocalDateTime.parse("2026-03-09T10:59")
                .atZone(NEW_YORK).toInstant(), NEW_YORK).startTime(), NEW_YORK));
    }

    /** From 04:00 on, so that every local time exists on every day (New York skips 02:00 to 03:00 once a year). */
    @Test
    void aTimeFarAheadFindsTheSameOccurrenceAsStepByStep() {
        Random rnd = new Random(7);
        for (ZoneId zone : List.of(UTC, NEW_YORK)) {
            for (String flag : AdvanceReservation.RECURRING) {
                for (int i = 0; i < 40; i++) {
                    AdvanceReservation first = r(flag, "2026-01-0" + (1 + rnd.nextInt(7)) + "T0" + (4 + rnd.nextInt(6))
                            + ":15", Duration.ofMinutes(10 + rnd.nextInt(50)), zone);
                    Instant t = first.startTime().plus(Duration.ofMinutes(rnd.nextInt(400 * 24 * 60)));
                    AdvanceReservation stepped = first;
                    while (!stepped.endTime().isAfter(t)) {
                        stepped = Recurrence.next(stepped, zone);
                    }
                    assertEquals(stepped, Recurrence.endingAfter(first, t, zone), flag + " in " + zone + " from "
                            + first + " at " + t);
                }
            }
        }
    }

    @Test
    void twoReservationsShareAMomentWhenAnyOccurrencesDo() {
        AdvanceReservation daily = r("DAILY", "2026-11-23T10:00", Duration.ofHours(1), UTC);
        AdvanceReservation laterOnce = new AdvanceReservation("x", Instant.parse("2026-11-30T10:30:00Z"),
                Instant.parse("2026-11-30T10:45:00Z"), List.of("n1"), List.of("bob"), List.of());
        assertTrue(Recurrence.shareAMoment(daily, laterOnce, UTC), "a week on, the daily one is there again");
        assertTrue(Recurrence.shareAMoment(laterOnce, daily, UTC));
        AdvanceReservation afternoons = r("DAILY", "2026-11-25T14:00", Duration.ofHours(2), UTC);
        assertFalse(Recurrence.shareAMoment(daily, afternoons, UTC));
        AdvanceReservation saturdays = r("WEEKLY", "2026-11-28T10:30", Duration.ofHours(1), UTC);
        assertTrue(Recurrence.shareAMoment(daily, saturdays, UTC), "the daily one meets Saturday's");
        AdvanceReservation weekdays = r("WEEKDAY", "2026-11-23T10:00", Duration.ofHours(1), UTC);
        assertFalse(Recurrence.shareAMoment(weekdays, saturdays, UTC), "weekdays never meet a Saturday");
        assertTrue(Recurrence.overlaps(daily, Instant.parse("2026-12-20T09:00:00Z"),
                Instant.parse("2026-12-20T10:00:01Z"), UTC));
        assertFalse(Recurrence.overlaps(daily, Instant.parse("2026-12-20T11:00:00Z"),
                Instant.parse("2026-12-21T10:00:00Z"), UTC));
    }
}
