package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A flood's warnings: the first whole, the rest counted into one line a period. */
class RepeatedWarningTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void theFirstIsToldAndTheRestOncePerPeriod() {
        RepeatedWarning w = new RepeatedWarning("refused a connection", Duration.ofMinutes(1), clock);
        assertEquals(Optional.of("refused a connection from a (more are counted and logged every 1m)"),
                w.occurred("from a"));
        assertEquals(Optional.empty(), w.occurred("from b"));
        now = now.plusSeconds(30);
        assertEquals(Optional.empty(), w.occurred("from c"));
        assertEquals(Optional.empty(), w.summary());
        now = now.plusSeconds(31);
        assertEquals(Optional.of("refused a connection 2 more times in the last 61s, the last from c"), w.summary());
        assertEquals(Optional.empty(), w.summary());
        now = now.plusSeconds(120);
        assertEquals(Optional.empty(), w.summary(), "nothing counted, nothing told");
        assertEquals(Optional.of("refused a connection once more in the last 2m, the last from d"),
                w.occurred("from d"));
    }
}
