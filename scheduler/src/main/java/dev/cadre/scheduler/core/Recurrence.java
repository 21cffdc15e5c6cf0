package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The occurrences of an advance reservation with Flags=HOURLY, DAILY, WEEKDAY, WEEKEND or WEEKLY, in the head's time
 * zone, as slurmctld's _advance_resv_time moves one on: an hour later (HOURLY), or its start and end each a number of
 * days later at the same local time, across a change to or from summer time as mktime does (DAILY one day, WEEKLY
 * seven, WEEKDAY one day but three after a Friday and two after a Saturday, WEEKEND one day after a Saturday and
 * else to the next Saturday). slurmctld counts WEEKDAY's and WEEKEND's days from the weekday of the moment it
 * advances; here they count from the weekday the occurrence began, as its _get_advance_secs does when it judges
 * overlaps, so that a head that was down for days lands on the same occurrence. One that does not recur has only
 * itself.
 */
final class Recurrence {
    private static final Duration HOUR = Duration.ofHours(1);

    private Recurrence() {
    }

    /** The occurrence after this one (the same one for a reservation that does not recur). */
    static AdvanceReservation next(AdvanceReservation r, ZoneId zone) {
        String every = r.recurrence();
        if (every == null) {
            return r;
        }
        if (every.equals(AdvanceReservation.HOURLY)) {
            return r.at(r.startTime().plus(HOUR), r.endTime().plus(HOUR));
        }
        return later(r, days(every, r.startTime().atZone(zone).getDayOfWeek()), zone);
    }

    /**
     * The first occurrence, from this one on, that has not ended by {@code t}: this one when it ends after t or does
     * not recur. Counted from this one's local start and end (so many days on, each day's own offset), which costs the
     * same however far ahead t is; stepping with {@link #next} gives the same occurrences wherever the local times
     * exist on every day between (a start in the hour summer time skips moves on an hour, as mktime moves it, and
     * keeps that time from there).
     */
    static AdvanceReservation endingAfter(AdvanceReservation r, Instant t, ZoneId zone) {
        String every = r.recurrence();
        if (r.endTime().isAfter(t) || every == null) {
            return r;
        }
        long behind = Duration.between(r.endTime(), t).toSeconds();
        if (every.equals(AdvanceReservation.HOURLY)) {
            long hours = behind / HOUR.toSeconds() + 1;
            return r.at(r.startTime().plus(HOUR.multipliedBy(hours)), r.endTime().plus(HOUR.multipliedBy(hours)));
        }
        ZonedDateTime start = r.startTime().atZone(zone);
        ZonedDateTime end = r.endTime().atZone(zone);
        DayOfWeek began = start.getDayOfWeek();
        // A day's margin for summer time; from there the pattern's days are counted one occurrence at a time.
        long days = Math.max(1, behind / Duration.ofDays(1).toSeconds() - 1);
        if (every.equals(AdvanceReservation.WEEKLY)) {
            days = (days + 6) / 7 * 7;
        } else if (!every.equals(AdvanceReservation.DAILY)) {
            days = Math.max(days, days(every, began));
            while (!onPattern(every, began.plus(days))) {
                days++;
            }
        }
        while (!end.plusDays(days).toInstant().isAfter(t)) {
            days += days(every, began.plus(days));
        }
        return r.at(start.plusDays(days).toInstant(), end.plusDays(days).toInstant());
    }

    /** Whether an occurrence of WEEKDAY or WEEKEND, after its first, may begin on this day. */
    private static boolean onPattern(String every, DayOfWeek day) {
        boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
        return every.equals(AdvanceReservation.WEEKEND) == weekend;
    }

    /** The occurrence active at t, or null when none is. */
    static AdvanceReservation activeAt(AdvanceReservation r, Instant t, ZoneId zone) {
        AdvanceReservation o = endingAfter(r, t, zone);
        return o.startTime().isAfter(t) ? null : o;
    }

    /** Whether any occurrence, from this one on, shares a moment with the period from {@code from} up to {@code to}. */
    static boolean overlaps(AdvanceReservation r, Instant from, Instant to, ZoneId zone) {
        return endingAfter(r, from, zone).overlaps(from, to);
    }

    /**
     * Whether any occurrence of one shares a moment with any occurrence of the other, as slurmctld's
     * _resv_time_overlap judges two reservations. Where both recur, their occurrences repeat within a week, so two
     * weeks of the first's from the later start tell.
     */
    static boolean shareAMoment(AdvanceReservation a, AdvanceReservation b, ZoneId zone) {
        if (a.recurrence() == null) {
            return overlaps(b, a.startTime(), a.endTime(), zone);
        }
        if (b.recurrence() == null) {
            return overlaps(a, b.startTime(), b.endTime(), zone);
        }
        Instant from = a.startTime().isAfter(b.startTime()) ? a.startTime() : b.startTime();
        for (AdvanceReservation o : between(a, from, from.plus(Duration.ofDays(15)), zone, 400)) {
            if (overlaps(b, o.startTime(), o.endTime(), zone)) {
                return true;
            }
        }
        return false;
    }

    /** The occurrences, from the one not ended by {@code from}, that begin before {@code until}; at most most. */
    static List<AdvanceReservation> between(AdvanceReservation r, Instant from, Instant until, ZoneId zone, int most) {
        List<AdvanceReservation> out = new ArrayList<>();
        AdvanceReservation o = endingAfter(r, from, zone);
        while (o.startTime().isBefore(until) && out.size() < most) {
            out.add(o);
            AdvanceReservation n = next(o, zone);
            if (n == o) {
                break;
            }
            o = n;
        }
        return out;
    }

    /** How many days a day-based recurrence moves on from an occurrence that began on this weekday. */
    static int days(String every, DayOfWeek began) {
        switch (every) {
            case AdvanceReservation.DAILY:
                return 1;
            case AdvanceReservation.WEEKLY:
                return 7;
            case AdvanceReservation.WEEKDAY:
                return began == DayOfWeek.FRIDAY ? 3 : began == DayOfWeek.SATURDAY ? 2 : 1;
            case AdvanceReservation.WEEKEND:
                return began == DayOfWeek.SATURDAY ? 1 : began == DayOfWeek.SUNDAY ? 6 : 6 - began.getValue();
            default:
                throw new IllegalArgumentException("not a day-based recurrence: " + every);
        }
    }

    private static AdvanceReservation later(AdvanceReservation r, long days, ZoneId zone) {
        return days == 0 ? r : r.at(r.startTime().atZone(zone).plusDays(days).toInstant(),
                r.endTime().atZone(zone).plusDays(days).toInstant());
    }
}
