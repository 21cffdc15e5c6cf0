package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.FairShare;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Usage charged period by period, with a fake clock, and what the factors it makes do to the order of two users'
 * jobs in a pass.
 */
class FairShareAccrualTest {
    private static final Duration HALF_LIFE = Duration.ofDays(7);

    @Test
    void storedUsageDecaysOverThePeriodThenThePeriodsCpuSecondsAreAdded() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        Instant charged = clock.instant();
        clock.advance(HALF_LIFE);
        Map<String, Double> usage = FairShareAccrual.charge(Map.of("ann", 1000.0, "bob", 40.0), charged,
                clock.instant(), HALF_LIFE, Map.of("bob", 60.0, "cy", 5.0), List.of("dee", "ann"));
        assertEquals(Map.of("ann", 500.0, "bob", 80.0, "cy", 5.0, "dee", 0.0), usage,
                "halved over a half-life; the period's charge added whole; a user who only queued joins with 0");
    }

    @Test
    void chargingEveryPeriodDecaysAsOneChargeOverTheWholeTime() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        Map<String, Double> usage = new HashMap<>(Map.of("ann", 7200.0));
        Instant start = clock.instant();
        for (int i = 0; i < 2016; i++) {
            Instant from = clock.instant();
            clock.advance(Duration.ofMinutes(5));
            usage = FairShareAccrual.charge(usage, from, clock.instant(), HALF_LIFE, Map.of(), List.of());
        }
        assertEquals(Duration.ofDays(7), Duration.between(start, clock.instant()));
        assertEquals(3600.0, usage.get("ann"), 1e-6, "a week of five-minute periods halves it once");
    }

    @Test
    void aClockSetBackChargesNoDecay() {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        assertEquals(Map.of("ann", 10.0), FairShareAccrual.charge(Map.of("ann", 10.0), t, t.minusSeconds(60),
                HALF_LIFE, Map.of(), List.of()));
    }

    @Test
    void aLightUserPassesAHeavyOneWhenTheWeightIsSetAndNotOtherwise() {
        assertEquals(List.of(2L, 1L), startOrder(new FairShare(100_000, Map.of("ann", 36_000.0, "bob", 60.0))),
                "bob's later job first: ann used most of the cluster");
        assertEquals(List.of(1L, 2L), startOrder(new FairShare(0, Map.of("ann", 36_000.0, "bob", 60.0))),
                "at weight 0 by age, then id");
        assertEquals(List.of(1L, 2L), startOrder(FairShare.NONE));
    }

    /** Two one-core jobs on a one-core node, ann's submitted a minute before bob's: the order they start in. */
    private static List<Long> startOrder(FairShare shares) {
        CoreScenario s = new CoreScenario(PlacementPolicy.Kind.EASY);
        s.node("n1", 1);
        long ann = s.submit(CoreScenario.spec().user("ann"));
        s.clock.advance(Duration.ofMinutes(1));
        long bob = s.submit(CoreScenario.spec().user("bob"));
        s.core.fairShare(shares);
        s.schedule();
        long first = s.job(ann).state().isActive() ? ann : bob;
        s.confirm(first);
        s.finish(first, 0);
        s.schedule();
        long second = first == ann ? bob : ann;
        assertEquals(true, s.job(second).state().isActive(), "the other starts once the node is free");
        return List.of(first, second);
    }
}
