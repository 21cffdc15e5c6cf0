package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpecValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeLimitTest {
    private static final long MAX = JobSpecValidator.MAX_TIME_LIMIT_SECONDS;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aLimitBeyondTheProtocolsMaximumIsTheMaximumAndOneBelowASecondIsASecond() {
        assertEquals(MAX, TimeLimit.seconds(4_000_000_000_000_000_000L));
        assertEquals(MAX, TimeLimit.seconds(Long.MAX_VALUE));
        assertEquals(MAX, TimeLimit.seconds(MAX));
        assertEquals(3600, TimeLimit.seconds(3600));
        assertEquals(1, TimeLimit.seconds(0));
        assertEquals(1, TimeLimit.seconds(Long.MIN_VALUE));
    }

    @Test
    void minutesAreRoundedUpFromTheEnforcedLimit() {
        assertEquals(MAX / 60, TimeLimit.minutes(Long.MAX_VALUE));
        assertEquals(2, TimeLimit.minutes(61));
        assertEquals(1, TimeLimit.minutes(-5));
    }

    @Test
    void theEndOfAHugeLimitIsTheMaximumsAndTheWaitForItFitsInMillis() {
        Instant started = CLOCK.instant().minusSeconds(10);
        Instant end = TimeLimit.end(started, 4_000_000_000_000_000_000L);
        assertEquals(started.plusSeconds(MAX), end);
        assertEquals((MAX - 10) * 1000, TimeLimit.millisUntil(CLOCK.instant(), end));
        assertEquals(0, TimeLimit.millisUntil(CLOCK.instant(), TimeLimit.end(started, 0)), "past already");
    }

    @Test
    void arithmeticBeyondWhatInstantsAndMillisHoldSaturates() {
        assertEquals(Instant.MAX, TimeLimit.plus(CLOCK.instant(), Long.MAX_VALUE));
        assertEquals(Instant.MIN, TimeLimit.plus(CLOCK.instant(), Long.MIN_VALUE));
        assertEquals(Long.MAX_VALUE, TimeLimit.millisUntil(CLOCK.instant(), Instant.MAX));
        assertEquals(0, TimeLimit.millisUntil(CLOCK.instant(), Instant.MIN));
    }
}
