package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How an agent paces its tries to resume its run after the relay's connection broke. */
class RelayReconnectTest {
    private static final Instant BROKE = Instant.parse("2024-05-01T10:00:00Z");
    private final RelayReconnect schedule = new RelayReconnect(BROKE);

    @Test
    void pausesDoubleFromATenthOfASecondUpToTwoSeconds() {
        assertEquals(Duration.ofMillis(100), schedule.pauseBefore(0, BROKE));
        assertEquals(Duration.ofMillis(200), schedule.pauseBefore(1, BROKE));
        assertEquals(Duration.ofMillis(1600), schedule.pauseBefore(4, BROKE));
        assertEquals(Duration.ofSeconds(2), schedule.pauseBefore(5, BROKE));
        assertEquals(Duration.ofSeconds(2), schedule.pauseBefore(1_000, BROKE), "no overflow");
    }

    @Test
    void triesStopSixtySecondsAfterTheBreakAndNeverPauseBeyondIt() {
        assertEquals(Duration.ofMillis(500), schedule.pauseBefore(20, BROKE.plusMillis(59_500)));
        assertNull(schedule.pauseBefore(20, BROKE.plusSeconds(60)));
        assertNull(schedule.pauseBefore(0, BROKE.plusSeconds(61)));
    }
}
