package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobPriority;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The age part of a job's priority: whole minutes waited, capped at a week, less its nice value. */
class PrioritiesTest {
    private static final Instant SUBMIT = Instant.parse("2026-11-24T10:00:00.500000001Z");

    private static long at(Instant now, int nice) {
        JobRecord j = new JobRecord(1, "k1", CoreScenario.spec().nice(nice).build(), JobState.PENDING, "None", 0,
                null, false, null, null, SUBMIT, null, null);
        return Priorities.of(j, now, FairShare.NONE) - JobPriority.BASE;
    }

    @Test
    void aJobGainsAPointForEachWholeMinuteItHasWaitedUpToAWeekLessItsNice() {
        assertEquals(0, at(SUBMIT.plusSeconds(60).minusNanos(1), 0), "a nanosecond short of a minute");
        assertEquals(1, at(SUBMIT.plusSeconds(60), 0));
        assertEquals(1, at(SUBMIT.plusSeconds(119).plusNanos(999_999_998), 0));
        assertEquals(90, at(SUBMIT.plus(Duration.ofMinutes(90)).plusMillis(400), 0));
        assertEquals(JobPriority.MAX_AGE_MINUTES, at(SUBMIT.plus(Duration.ofDays(30)), 0), "capped at a week");
        assertEquals(0, at(SUBMIT.minusSeconds(3600), 0), "a clock behind the submission gives no negative age");
        assertEquals(-10, at(SUBMIT.minusNanos(2), 10));
    }

    @Test
    void aJobsPriorityIsThePublicRuleOverItsSpecAndSubmission() {
        Instant now = SUBMIT.plus(Duration.ofMinutes(75));
        JobRecord nice = new JobRecord(1, "k1", CoreScenario.spec().nice(-7).build(), JobState.PENDING, "None", 0,
                null, false, null, null, SUBMIT, null, null);
        assertEquals(JobPriority.of(null, SUBMIT, -7, now), Priorities.of(nice, now, FairShare.NONE));
        JobRecord fixed = new JobRecord(2, "k2", CoreScenario.spec().nice(3).priority(5L).build(), JobState.PENDING,
                "None", 0, null, false, null, null, SUBMIT, null, null);
        assertEquals(5, Priorities.of(fixed, now, FairShare.NONE));
        assertEquals(JobPriority.of(5L, SUBMIT, 3, now), Priorities.of(fixed, now, FairShare.NONE));
    }
}
