package dev.cadre.cli.slurm;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The period a report covers, as slurmdb_report_set_start_end_time makes it from Start= and End=: sreport reads
 * hourly rollups, so each given time goes to its nearest hour (30 s make a minute, 30 min an hour); without End= the
 * period ends today at 00:00, without Start= it starts the day before; an End= past now is now; a period shorter
 * than an hour is made an hour long.
 *
 * @param end excluded: the header prints the second before it
 */
public record SreportWindow(Instant start, Instant end) {

    /**
     * @param start Start='s value, or null
     * @param end End='s value, or null
     * @throws SlurmUsageException parse_time's "Invalid time specification (pos=N): TEXT"
     */
    public static SreportWindow of(String start, String end, Instant now, ZoneId zone) throws SlurmUsageException {
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant to;
        if (end == null) {
            to = today.atStartOfDay(zone).toInstant();
        } else {
            Instant given = SlurmTime.parsePast(end, now, zone);
            to = nearestHour(given.isAfter(now) ? now : given, zone);
        }
        Instant from = start == null ? today.minusDays(1).atStartOfDay(zone).toInstant()
                : nearestHour(SlurmTime.parsePast(start, now, zone), zone);
        if (Duration.between(from, to).getSeconds() < 3600) {
            to = from.plusSeconds(3600);
        }
        return new SreportWindow(from, to);
    }

    private static Instant nearestHour(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        int minute = z.getMinute() + (z.getSecond() >= 30 ? 1 : 0);
        return z.truncatedTo(ChronoUnit.HOURS).plusHours(minute >= 30 ? 1 : 0).toInstant();
    }

    public long seconds() {
        return Duration.between(start, end).getSeconds();
    }
}
