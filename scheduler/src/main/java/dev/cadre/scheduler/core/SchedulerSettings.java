package dev.cadre.scheduler.core;

import java.time.Duration;

/**
 * How the core schedules; see docs/configuration.md.
 *
 * @param backfillDepth the most queued jobs a backfill pass judges behind the first waiting one
 * @param backfillResolution the step of conservative backfill's plan (Slurm's bf_resolution): times are rounded
 *        up to it
 * @param backfillWindow how far ahead conservative backfill plans (Slurm's bf_window): a job that could start
 *        only later gets no reservation
 * @param requeueBackoff how long a job requeued after a node failure waits before its next attempt; doubled for
 *        each further attempt, up to requeueBackoffCap
 * @param cancelNeverSatisfied whether a job whose dependency can never be satisfied is cancelled (the default,
 *        as Slurm's kill_invalid_depend) or kept pending with reason DependencyNeverSatisfied; a job's own
 *        killOnInvalidDependency overrides it
 * @param enableUserTop whether users who are not operators may move their own pending jobs to the top of their
 *        queue (scontrol top; Slurm's enable_user_top), off by default as in Slurm
 * @param fairShare how users' usage is kept and weighed in jobs' priorities
 */
public record SchedulerSettings(PlacementPolicy.Kind policy, int backfillDepth, Duration backfillResolution,
        Duration backfillWindow, Duration nodeTimeout, Duration requeueBackoff, Duration requeueBackoffCap,
        boolean cancelNeverSatisfied, boolean enableUserTop, FairShareSettings fairShare) {

    public static final int DEFAULT_BACKFILL_DEPTH = 1000;
    public static final Duration DEFAULT_BACKFILL_RESOLUTION = Duration.ofSeconds(60);
    public static final Duration DEFAULT_BACKFILL_WINDOW = Duration.ofDays(1);
    /** The most steps a plan may have: each pass walks them once per job it plans. */
    public static final long MAX_BACKFILL_STEPS = 1_000_000;

    public SchedulerSettings {
        if (backfillResolution.toMillis() < 1 || backfillWindow.compareTo(backfillResolution) < 0) {
            throw new IllegalArgumentException("the backfill resolution must be at least a millisecond and the"
                    + " window at least one resolution; got " + backfillResolution + " and " + backfillWindow);
        }
        if (backfillWindow.dividedBy(backfillResolution) > MAX_BACKFILL_STEPS) {
            throw new IllegalArgumentException("a backfill window of " + backfillWindow + " at a resolution of "
                    + backfillResolution + " makes more than " + MAX_BACKFILL_STEPS + " steps");
        }
    }

    /** Settings without a fair-share weight. */
    public SchedulerSettings(PlacementPolicy.Kind policy, int backfillDepth, Duration backfillResolution,
            Duration backfillWindow, Duration nodeTimeout, Duration requeueBackoff, Duration requeueBackoffCap,
            boolean cancelNeverSatisfied, boolean enableUserTop) {
        this(policy, backfillDepth, backfillResolution, backfillWindow, nodeTimeout, requeueBackoff,
                requeueBackoffCap, cancelNeverSatisfied, enableUserTop, FairShareSettings.DEFAULTS);
    }

    /** Settings without scontrol top for users who are not operators. */
    public SchedulerSettings(PlacementPolicy.Kind policy, int backfillDepth, Duration backfillResolution,
            Duration backfillWindow, Duration nodeTimeout, Duration requeueBackoff, Duration requeueBackoffCap,
            boolean cancelNeverSatisfied) {
        this(policy, backfillDepth, backfillResolution, backfillWindow, nodeTimeout, requeueBackoff,
                requeueBackoffCap, cancelNeverSatisfied, false);
    }

    public static SchedulerSettings defaults(Duration nodeTimeout) {
        return new SchedulerSettings(PlacementPolicy.Kind.EASY, DEFAULT_BACKFILL_DEPTH, DEFAULT_BACKFILL_RESOLUTION,
                DEFAULT_BACKFILL_WINDOW, nodeTimeout, Duration.ofSeconds(10), Duration.ofMinutes(10), true);
    }

    public SchedulerSettings withPolicy(PlacementPolicy.Kind kind) {
        return new SchedulerSettings(kind, backfillDepth, backfillResolution, backfillWindow, nodeTimeout,
                requeueBackoff, requeueBackoffCap, cancelNeverSatisfied, enableUserTop, fairShare);
    }

    public SchedulerSettings withUserTop(boolean enabled) {
        return new SchedulerSettings(policy, backfillDepth, backfillResolution, backfillWindow, nodeTimeout,
                requeueBackoff, requeueBackoffCap, cancelNeverSatisfied, enabled, fairShare);
    }

    public SchedulerSettings withFairShare(FairShareSettings settings) {
        return new SchedulerSettings(policy, backfillDepth, backfillResolution, backfillWindow, nodeTimeout,
                requeueBackoff, requeueBackoffCap, cancelNeverSatisfied, enableUserTop, settings);
    }

    /** The wait before attempt n+1 after attempt n failed with its node: base, 2 x base, ... up to the cap. */
    public Duration backoffAfter(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration wait = requeueBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(requeueBackoffCap) > 0 || wait.isNegative() ? requeueBackoffCap : wait;
    }
}
