package dev.cadre.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * A pending job's priority: a fixed one if it was given (sbatch --priority, scontrol update Priority=), else a base,
 * plus one point per minute waited (up to a week, so old jobs cannot overtake everything for ever), plus its user's
 * fair-share points ({@link FairShare}, none unless the head weighs them), less its nice value. Here, beside the
 * job's record, because the scheduler orders by it and the client commands print it (sprio's factors, squeue's %Q,
 * scontrol's Priority=): one rule, so what they print is what the scheduler uses.
 */
public final class JobPriority {
    /** What every computed priority starts from (sprio's site factor). */
    public static final long BASE = 1_000_000;
    /** The most minutes of waiting that count (sprio's PriorityMaxAge, a week). */
    public static final long MAX_AGE_MINUTES = Duration.ofDays(7).toMinutes();

    private JobPriority() {
    }

    /**
     * A job's priority at {@code now}.
     *
     * @param fixed the priority it was given, which stands alone; null for a computed one
     * @param submitted when it was submitted
     * @param nice its nice value, taken off
     */
    public static long of(Long fixed, Instant submitted, int nice, Instant now) {
        if (fixed != null) {
            return fixed;
        }
        return BASE + agePoints(submitted, now) - nice;
    }

    /** A job's priority at {@code now}, from its record. */
    public static long of(JobRecord j, Instant now) {
        return of(j.spec().priority(), j.submitTime(), j.spec().niceOrZero(), now);
    }

    /** A job's priority at {@code now}, from its record, with its user's fair-share points added to a computed one. */
    public static long of(JobRecord j, Instant now, FairShare shares) {
        Long fixed = j.spec().priority();
        return fixed != null ? fixed : of(null, j.submitTime(), j.spec().niceOrZero(), now)
                + shares.points(j.spec().user());
    }

    /** The points a computed priority has for waiting from then until now: a minute each, at most a week's. */
    public static long agePoints(Instant submitted, Instant now) {
        long age = Math.max(0, Duration.between(submitted, now).toMinutes());
        return Math.min(age, MAX_AGE_MINUTES);
    }
}
