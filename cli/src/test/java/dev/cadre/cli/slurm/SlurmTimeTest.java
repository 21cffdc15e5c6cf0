package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmTimeTest {

    private static final Instant NOW = Instant.parse("2024-03-10T14:30:20.750Z");

    @ParameterizedTest
    @CsvSource({
        "10, 600",
        "90, 5400",
        "10:30, 630",
        "1:02:03, 3723",
        "00:20:00, 1200",
        "2-3, 183600",
        "2-03:04, 183840",
        "2-03:04:05, 183845",
        "1-, 86400",
        "0:30, 30",
    })
    void parsesEveryTimeLimitFormat(String text, long seconds) throws Exception {
        assertEquals(seconds, SlurmTime.parseTimeLimit(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0:00", "0-0", "0:0:0", "UNLIMITED", "unlimited", "INFINITE", "Infinite", "-1"})
    void zeroAndUnlimitedMeanNoLimit(String text) throws Exception {
        assertNull(SlurmTime.parseTimeLimit(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1:2:3:4", "1-2-3", "1:2-3", "-5", "5:", ":5", "1-2:", "1-:5",
        "1.5", " 5", "5m", "1::3", "1-2:3:", "99999999999999999999"})
    void rejectsWhatSlurmRejects(String text) {
        SlurmUsageException e = assertThrows(SlurmUsageException.class, () -> SlurmTime.parseTimeLimit(text));
        assertEquals("Invalid time limit specification", e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(SlurmUsageException.class, () -> SlurmTime.parseTimeLimit(null));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0:00",
        "5, 0:05",
        "65, 1:05",
        "3599, 59:59",
        "3600, 1:00:00",
        "86399, 23:59:59",
        "86400, 1-00:00:00",
        "1047845, 12-03:04:05",
        "31536000, 365-00:00:00",
        "31536001, INVALID",
        "-1, INVALID",
    })
    void formatsDurationsLikeSqueue(long seconds, String text) {
        assertEquals(text, SlurmTime.formatDuration(seconds));
    }

    @Test
    void formatsLimits() {
        assertEquals("UNLIMITED", SlurmTime.formatLimit(null));
        assertEquals("1:00", SlurmTime.formatLimit(60L));
        assertEquals("1:00:00", SlurmTime.formatLimit(3600L));
    }

    @ParameterizedTest
    @CsvSource({
        "now, 2024-03-10T14:30:20Z",
        "now+60, 2024-03-10T14:31:20Z",
        "now+0, 2024-03-10T14:30:20Z",
        "now+90seconds, 2024-03-10T14:31:50Z",
        "now+1second, 2024-03-10T14:30:21Z",
        "now+5minutes, 2024-03-10T14:35:20Z",
        "now+1minute, 2024-03-10T14:31:20Z",
        "now+2hours, 2024-03-10T16:30:20Z",
        "now+1hour, 2024-03-10T15:30:20Z",
        "now+1day, 2024-03-11T14:30:20Z",
        "now+3days, 2024-03-13T14:30:20Z",
        "now+1week, 2024-03-17T14:30:20Z",
        "now+2weeks, 2024-03-24T14:30:20Z",
        "NOW+1HOUR, 2024-03-10T15:30:20Z",
        "now + 2 hours, 2024-03-10T16:30:20Z",
        "2024-03-12, 2024-03-12T00:00:00Z",
        "2024-03-12T10:15, 2024-03-12T10:15:00Z",
        "2024-03-12T10:15:30, 2024-03-12T10:15:30Z",
        "2023-01-01, 2023-01-01T00:00:00Z",
        "16:00, 2024-03-10T16:00:00Z",
        "14:31, 2024-03-10T14:31:00Z",
        "14:30, 2024-03-11T14:30:00Z",
        "10:00:05, 2024-03-11T10:00:05Z",
        "4:00pm, 2024-03-10T16:00:00Z",
        "4:00 PM, 2024-03-10T16:00:00Z",
        "12:00am, 2024-03-11T00:00:00Z",
        "midnight, 2024-03-11T00:00:00Z",
        "noon, 2024-03-11T12:00:00Z",
        "teatime, 2024-03-10T16:00:00Z",
        "elevenses, 2024-03-11T11:00:00Z",
        "fika, 2024-03-10T15:00:00Z",
        "today, 2024-03-10T00:00:00Z",
        "tomorrow, 2024-03-11T00:00:00Z",
        "Tomorrow, 2024-03-11T00:00:00Z",
        "tomorrow noon, 2024-03-11T12:00:00Z",
        "noon tomorrow, 2024-03-11T12:00:00Z",
        "today teatime, 2024-03-10T16:00:00Z",
        "0315, 2024-03-15T00:00:00Z",
        "03/15, 2024-03-15T00:00:00Z",
        "03/05, 2025-03-05T00:00:00Z",
        "03.05.26, 2026-03-05T00:00:00Z",
        "03/05/25, 2025-03-05T00:00:00Z",
    })
    void parsesBeginTimes(String text, String expected) throws Exception {
        assertEquals(Instant.parse(expected), SlurmTime.parseBegin(text, NOW, ZoneOffset.UTC));
    }

    @Test
    void beginTimesAreLocalToTheGivenZone() throws Exception {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals(Instant.parse("2024-03-12T09:00:00Z"), SlurmTime.parseBegin("2024-03-12T10:00", NOW, paris));
        // 14:30Z is 15:30 in Paris, so 15:00 there has passed and means tomorrow.
        assertEquals(Instant.parse("2024-03-11T14:00:00Z"), SlurmTime.parseBegin("15:00", NOW, paris));
        assertEquals(Instant.parse("2024-03-10T23:00:00Z"), SlurmTime.parseBegin("midnight", NOW, paris));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "25:00", "12:60", "2024-13-01", "now+", "now+5min", "now5",
        "now+x", "2024-02-30", "tomorrowish"})
    void rejectsBadBeginTimes(String text) {
        SlurmUsageException e = assertThrows(SlurmUsageException.class,
                () -> SlurmTime.parseBegin(text, NOW, ZoneOffset.UTC));
        assertEquals("Invalid --begin specification", e.getMessage());
    }
}
