package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SLURM_TIME_FORMAT's three kinds, and strftime(3) checked against glibc's own, through date(1). */
class SlurmTimeFormatTest {
    /** Tuesday 2026-11-24 09:05:07 UTC. */
    private static final ZonedDateTime T = ZonedDateTime.of(2026, 11, 24, 9, 5, 7, 0, ZoneId.of("UTC"));
    private static final LocalDate TODAY = T.toLocalDate();

    private static String relative(ZonedDateTime t) {
        return SlurmTimeFormat.parse("relative").format(t, TODAY);
    }

    @Test
    void standardIsIsoLocalTimeAlsoWhenUnsetOrEmpty() {
        for (String value : new String[] {null, "", "standard"}) {
            assertEquals("2026-11-24T09:05:07", SlurmTimeFormat.parse(value).format(T, TODAY));
        }
        assertEquals("0987-01-02T03:04:05", SlurmTimeFormat.STANDARD.format(
                ZonedDateTime.of(987, 1, 2, 3, 4, 5, 0, ZoneId.of("UTC")), TODAY));
    }

    @Test
    void relativeIsShortAndCountsFromToday() {
        assertEquals("09:05:07", relative(T));
        assertEquals("Ystday 09:05", relative(T.minusDays(1)));
        assertEquals("Tomorr 09:05", relative(T.plusDays(1)));
        assertEquals("Thu 09:05", relative(T.plusDays(2)));
        assertEquals("Mon 09:05", relative(T.plusDays(6)));
        assertEquals("1 Dec 09:05", relative(T.plusDays(7)));
        assertEquals("22 Nov 09:05", relative(T.minusDays(2)));
        assertEquals("25 Nov 2027", relative(T.plusDays(366)));
        assertEquals("3 Nov 2025", relative(T.minusDays(386)));
        // Across New Year, by the calendar: Slurm's year * 1000 + day count would call this a far date.
        LocalDate newYearsEve = LocalDate.of(2026, 12, 31);
        assertEquals("Tomorr 10:00", SlurmTimeFormat.parse("relative").format(
                ZonedDateTime.of(2027, 1, 1, 10, 0, 0, 0, ZoneId.of("UTC")), newYearsEve));
    }

    @Test
    void aStrftimeFormatIsFollowed() {
        assertEquals(Long.toString(T.toEpochSecond()), SlurmTimeFormat.parse("%s").format(T, TODAY));
        assertEquals("2026-11-24T09:05:07 UTC+0000", SlurmTimeFormat.parse("%Y-%m-%dT%H:%M:%S UTC%z")
                .format(T, TODAY));
        assertEquals("Tue 09:05:07", SlurmTimeFormat.parse("%a %T").format(T, TODAY));
        assertEquals("24/11 9AM", SlurmTimeFormat.parse("%d/%m %-I%p").format(T, TODAY));
    }

    @Test
    void aValueWithoutAConversionOrOf32CharactersOrMoreIsRefusedAsSlurmRefusesIt() {
        assertEquals("invalid SLURM_TIME_FORMAT = 'iso'", assertThrows(IllegalArgumentException.class,
                () -> SlurmTimeFormat.parse("iso")).getMessage());
        String longest = "%Y" + "-".repeat(29);
        SlurmTimeFormat.parse(longest);
        assertThrows(IllegalArgumentException.class, () -> SlurmTimeFormat.parse(longest + "-"));
    }

    @Test
    void anInvalidValueLeavesTheStandardFormAndIsReportedOnceAtTheFirstDate() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            SlurmTimeFormat.useEnvironment("iso", "sacct", new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals("", err.toString(StandardCharsets.UTF_8), "said when a date is printed, not before");
            assertEquals("2026-11-24T09:05:07", SlurmTime.formatDate(T.toInstant(), ZoneId.of("UTC")));
            SlurmTime.formatDate(T.toInstant(), ZoneId.of("UTC"));
            assertEquals("sacct: error: invalid SLURM_TIME_FORMAT = 'iso'\n", err.toString(StandardCharsets.UTF_8));
            SlurmTimeFormat.useEnvironment("%s", "sacct", System.err);
            assertEquals(Long.toString(T.toEpochSecond()), SlurmTime.formatDate(T.toInstant(), ZoneId.of("UTC")));
            assertEquals("Unknown", SlurmTime.formatDate(null, ZoneId.of("UTC")));
        } finally {
            SlurmTimeFormat.useEnvironment(null, "sacct", System.err);
        }
        assertEquals("2026-11-24T09:05:07", SlurmTime.formatDate(T.toInstant(), ZoneId.of("UTC")));
    }

    /**
     * Every conversion, with flags and widths, against date(1), which formats with glibc's strftime: at moments
     * that reach the edges of weeks and years, in UTC and in a zone with summer time where the zone data is.
     */
    @Test
    void strftimeMatchesGlibcs() throws Exception {
        List<String> formats = List.of("%a %A %b %B %h", "%c", "%C %d %D %e %F", "%g %G %V", "%H %I %j %k %l",
                "%m %M %p %P %r %R", "%s %S %T %u %U %w %W", "%x %X %y %Y", "%z %%", "%-d %-m %-H %_d %_H %05d",
                "%^a %^b %^B %#a %#b %#p", "%10Y %3d %-j %_3S", "%Ey %Od %EC", "%Q %q% %", "[%t|%n]", "%#Z %Z");
        List<ZonedDateTime> moments = new ArrayList<>();
        for (String zone : new String[] {"UTC", "Europe/Berlin"}) {
            if (!zone.equals("UTC") && !Files.exists(Path.of("/usr/share/zoneinfo", zone))) {
                continue;
            }
            ZoneId z = ZoneId.of(zone);
            for (Instant at : new Instant[] {T.toInstant(), Instant.parse("2027-01-01T00:00:00Z"),
                Instant.parse("2026-12-31T23:59:59Z"), Instant.parse("2021-01-03T12:00:00Z"),
                Instant.parse("2020-12-28T18:30:00Z"), Instant.parse("2026-07-04T23:07:08Z"),
                Instant.parse("1999-03-01T00:00:00Z")}) {
                moments.add(at.atZone(z));
            }
        }
        for (ZonedDateTime t : moments) {
            for (String format : formats) {
                assertEquals(date(t, format), Strftime.format(format, t), format + " at " + t);
            }
        }
        assertTrue(moments.size() >= 7);
    }

    private static String date(ZonedDateTime t, String format) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("date", "-d", "@" + t.toEpochSecond(), "+" + format);
        pb.environment().put("TZ", t.getZone().getId());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "date ended");
        assertEquals(0, p.exitValue(), out);
        // date(1) ends its output with a newline of its own.
        return out.substring(0, out.length() - 1);
    }
}
