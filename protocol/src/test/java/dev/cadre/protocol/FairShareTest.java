package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slurm's classic fair-share factor over Cadre's flat tree of equal shares, and its decay. */
class FairShareTest {
    private static final double EXACT = 1e-12;

    @Test
    void theFactorIsTwoToTheMinusEffectiveUsageOverNormalisedShares() {
        FairShare s = new FairShare(1000, Map.of("ann", 300.0, "bob", 100.0, "cy", 0.0, "dee", 0.0));
        assertEquals(0.25, s.normShares(), EXACT, "four users, one share each");
        assertEquals(400.0, s.totalUsage(), EXACT);
        assertEquals(0.75, s.normUsage("ann"), EXACT);
        assertEquals(Math.pow(2, -0.75 / 0.25), s.factor("ann"), EXACT, "2^-3");
        assertEquals(Math.pow(2, -0.25 / 0.25), s.factor("bob"), EXACT, "exactly its share: 0.5");
        assertEquals(1.0, s.factor("cy"), EXACT, "nothing used");
        assertEquals(125, s.points("ann"), "1000 x 0.125");
        assertEquals(500, s.points("bob"));
        assertEquals(1000, s.points("cy"));
        assertEquals(1000, s.points("eve"), "a user not counted yet has used nothing");
    }

    @Test
    void noUsageOrNoWeightChangesNoOrder() {
        assertTrue(new FairShare(1000, Map.of("ann", 0.0, "bob", 0.0)).uniform());
        assertEquals(1000, new FairShare(1000, Map.of("ann", 0.0, "bob", 0.0)).points("ann"));
        FairShare unweighed = new FairShare(0, Map.of("ann", 300.0, "bob", 0.0));
        assertTrue(unweighed.uniform());
        assertEquals(0, unweighed.points("ann"));
        assertEquals(0, unweighed.points("bob"));
        assertFalse(new FairShare(1, Map.of("ann", 300.0, "bob", 0.0)).uniform());
        assertEquals(1.0, FairShare.NONE.factor("ann"), EXACT);
        assertThrows(IllegalArgumentException.class, () -> new FairShare(-1, Map.of()));
    }

    @Test
    void usageHalvesEveryHalfLifeAndZeroMeansNoDecay() {
        Duration week = Duration.ofDays(7);
        assertEquals(500.0, FairShare.decayed(1000, week, week), EXACT);
        assertEquals(250.0, FairShare.decayed(1000, week.multipliedBy(2), week), EXACT);
        assertEquals(1000 / Math.sqrt(2), FairShare.decayed(1000, Duration.ofHours(84), week), 1e-9);
        assertEquals(1000.0, FairShare.decayed(1000, Duration.ZERO, week), EXACT);
        assertEquals(1000.0, FairShare.decayed(1000, Duration.ofSeconds(-5), week), EXACT, "a clock set back");
        assertEquals(1000.0, FairShare.decayed(1000, week, Duration.ZERO), EXACT, "PriorityDecayHalfLife=0");
    }

    @Test
    void aJobsComputedPriorityGetsItsUsersPointsAndAFixedOneNone() {
        Instant submit = Instant.parse("2026-11-24T10:00:00Z");
        Instant now = submit.plus(Duration.ofMinutes(30));
        FairShare s = new FairShare(1000, Map.of("ann", 300.0, "bob", 100.0));
        JobRecord ann = new JobRecord(1, "k1", spec("ann", null), JobState.PENDING, "None", 0, null, false, null,
                null, submit, null, null);
        JobRecord fixed = new JobRecord(2, "k2", spec("ann", 5L), JobState.PENDING, "None", 0, null, false, null,
                null, submit, null, null);
        assertEquals(JobPriority.BASE + 30 + s.points("ann"), JobPriority.of(ann, now, s));
        assertEquals(JobPriority.of(ann, now), JobPriority.of(ann, now, FairShare.NONE));
        assertEquals(5, JobPriority.of(fixed, now, s));
    }

    private static JobSpec spec(String user, Long priority) {
        return JobSpec.builder().name("j").user(user).script("#!/bin/sh\ntrue\n").workDir("/tmp").tasks(1)
                .priority(priority).build();
    }
}
