package dev.cadre.scheduler.core;

import java.time.Duration;

/**
 * How the fair-share factor is kept; see docs/configuration.md.
 *
 * @param weight Slurm's PriorityWeightFairshare: the priority points of a factor of 1.0; 0 keeps the order by age
 * @param halfLife Slurm's PriorityDecayHalfLife: how long until past usage counts half; zero for never
 * @param calcPeriod Slurm's PriorityCalcPeriod: how often usage is charged and the factors worked out again
 */
public record FairShareSettings(long weight, Duration halfLife, Duration calcPeriod) {
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);
    public static final Duration DEFAULT_CALC_PERIOD = Duration.ofMinutes(5);
    public static final FairShareSettings DEFAULTS = new FairShareSettings(0, DEFAULT_HALF_LIFE, DEFAULT_CALC_PERIOD);

    public FairShareSettings {
        if (weight < 0 || halfLife.isNegative() || calcPeriod.toMillis() < 1) {
            throw new IllegalArgumentException("the fair-share weight and half-life must be 0 or more and the"
                    + " calculation period at least a millisecond; got " + weight + ", " + halfLife + " and "
                    + calcPeriod);
        }
    }
}
