package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The priority rule that the scheduler orders by and the client commands print (sprio, squeue's %Q, scontrol's
 * Priority=): these figures are what they print, so a change here is a change of their output.
 */
class JobPriorityTest {
    private static final Instant SUBMIT = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aComputedPriorityIsAMillionPlusAMinuteEachUpToAWeekLessTheNice() {
        assertEquals(1_000_000, JobPriority.BASE);
        assertEquals(10_080, JobPriority.MAX_AGE_MINUTES);
        assertEquals(1_000_000, JobPriority.of(null, SUBMIT, 0, SUBMIT.plusSeconds(59)));
        assertEquals(1_000_090, JobPriority.of(null, SUBMIT, 0, SUBMIT.plus(Duration.ofMinutes(90)).plusMillis(999)));
        assertEquals(1_000_080, JobPriority.of(null, SUBMIT, 10, SUBMIT.plus(Duration.ofMinutes(90))));
        assertEquals(1_000_105, JobPriority.of(null, SUBMIT, -15, SUBMIT.plus(Duration.ofMinutes(90))),
                "an operator's negative nice raises it");
        assertEquals(1_010_080, JobPriority.of(null, SUBMIT, 0, SUBMIT.plus(Duration.ofDays(30))), "a week at most");
        assertEquals(1_000_000, JobPriority.of(null, SUBMIT, 0, SUBMIT.minusSeconds(600)), "no age before submission");
    }

    @Test
    void aFixedPriorityStandsAloneAndTheAgePointsAreTheAgeFactor() {
        assertEquals(42, JobPriority.of(42L, SUBMIT, 10, SUBMIT.plus(Duration.ofDays(3))));
        assertEquals(0, JobPriority.of(0L, SUBMIT, 0, SUBMIT));
        assertEquals(0, JobPriority.agePoints(SUBMIT, SUBMIT.plusSeconds(59)));
        assertEquals(61, JobPriority.agePoints(SUBMIT, SUBMIT.plusSeconds(61 * 60)));
        assertEquals(10_080, JobPriority.agePoints(SUBMIT, SUBMIT.plus(Duration.ofDays(8))));
        assertEquals(0, JobPriority.agePoints(SUBMIT, SUBMIT.minusSeconds(3600)));
    }
}
