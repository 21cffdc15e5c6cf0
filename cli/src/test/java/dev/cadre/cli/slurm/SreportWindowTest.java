package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The period as slurmdb_report_set_start_end_time makes it, at a fixed now in a zone an hour east of UTC. */
class SreportWindowTest {
    private static final ZoneId ZONE = ZoneId.of("+01:00");
    private static final Instant NOW = Instant.parse("2026-11-25T13:40:10Z");

    private static SreportWindow of(String start, String end) throws SlurmUsageException {
        return SreportWindow.of(start, end, NOW, ZONE);
    }

    @Test
    void byDefaultYesterdayFromMidnightToMidnight() throws Exception {
        assertEquals(new SreportWindow(Instant.parse("2026-11-23T23:00:00Z"), Instant.parse("2026-11-24T23:00:00Z")),
                of(null, null));
        assertEquals(86400, of(null, null).seconds());
    }

    @Test
    void givenTimesGoToTheirNearestHourAndAnEndPastNowIsNow() throws Exception {
        // 10:29:30 here is 10:30, which goes up to 11:00 (10:00 UTC); now, 14:40:10 here, to 15:00.
        assertEquals(new SreportWindow(Instant.parse("2026-11-01T10:00:00Z"), Instant.parse("2026-11-25T14:00:00Z")),
                of("2026-11-01T10:29:30", "2027-01-01"));
        assertEquals(Instant.parse("2026-11-01T10:00:00Z"), of("2026-11-01T11:29:29", null).start());
        assertEquals(Instant.parse("2026-11-25T14:00:00Z"), of(null, "now").end());
    }

    @Test
    void aPeriodShorterThanAnHourIsMadeAnHour() throws Exception {
        assertEquals(new SreportWindow(Instant.parse("2026-11-25T09:00:00Z"), Instant.parse("2026-11-25T10:00:00Z")),
                of("2026-11-25T10:00", "2026-11-25T10:10"));
        assertEquals(3600, of("2026-11-25T12:00", "2026-11-25T11:00").seconds());
    }

    @Test
    void aTimeThatIsNoneIsParseTimesComplaint() {
        assertEquals("Invalid time specification (pos=0): someday",
                assertThrows(SlurmUsageException.class, () -> of("someday", null)).getMessage());
    }
}
