package dev.cadre.scheduler.core;

import java.time.Duration;

/**
 * How the core schedules; see docs/configuration.md.
 *
 * @param backfillDepth the most queued jobs a backfill pass judges behind the first waiting one
 * @param requeueBackoff how long a job requeued after a node failure waits before its next attempt; doubled for
 *        each further attempt, up to requeueBackoffCap
 * @param cancelNeverSatisfied whether a job whose dependency can never be satisfied is cancelled (the default,
 *        as Slurm's kill_invalid_depend) or kept pending with reason DependencyNeverSatisfied; a job's own
 *        killOnInvalidDependency overrides it
 */
public record SchedulerSettings(PlacementPolicy.Kind policy, int backfillDepth, Duration nodeTimeout,
        Duration requeueBackoff, Duration requeueBackoffCap, boolean cancelNeverSatisfied) {

    public static final int DEFAULT_BACKFILL_DEPTH = 1000;

    public static SchedulerSettings defaults(Duration nodeTimeout) {
        return new SchedulerSettings(PlacementPolicy.Kind.EASY, DEFAULT_BACKFILL_DEPTH, nodeTimeout,
                Duration.ofSeconds(10), Duration.ofMinutes(10), true);
    }

    public SchedulerSettings withPolicy(PlacementPolicy.Kind kind) {
        return new SchedulerSettings(kind, backfillDepth, nodeTimeout, requeueBackoff, requeueBackoffCap,
                cancelNeverSatisfied);
    }

    /** The wait before attempt n+1 after attempt n failed with its node: base, 2 x base, ... up to the cap. */
    public Duration backoffAfter(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration wait = requeueBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(requeueBackoffCap) > 0 || wait.isNegative() ? requeueBackoffCap : wait;
    }
}
