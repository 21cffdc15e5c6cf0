package dev.cadre.node.core;

import dev.cadre.protocol.JobSpecValidator;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * A job's time limit as a node enforces it. The head refuses a limit outside 1 s to
 * {@link JobSpecValidator#MAX_TIME_LIMIT_SECONDS}, but a node must not fail on one it let through (a head of
 * another version, a message made by hand): a limit of 4e18 s overflowed the node's instant arithmetic after the
 * job had started, so that its end was never reported. A limit beyond the maximum is taken as the maximum, one below
 * 1 s as 1 s, and what is computed from it saturates instead of overflowing.
 */
public final class TimeLimit {
    private TimeLimit() {
    }

    /** The limit the node enforces for the one the job asked for. */
    public static long seconds(long requested) {
        return Math.max(1, Math.min(requested, JobSpecValidator.MAX_TIME_LIMIT_SECONDS));
    }

    /** Slurm's SBATCH_TIMELIMIT: the enforced limit in minutes, rounded up. */
    public static long minutes(long requested) {
        return (seconds(requested) + 59) / 60;
    }

    /** When a job started at {@code started} reaches its limit. */
    public static Instant end(Instant started, long requested) {
        return plus(started, seconds(requested));
    }

    /** {@code at} plus the seconds, or the last instant there is when that lies beyond it. */
    public static Instant plus(Instant at, long seconds) {
        try {
            return at.plusSeconds(seconds);
        } catch (DateTimeException | ArithmeticException e) {
            return seconds < 0 ? Instant.MIN : Instant.MAX;
        }
    }

    /** Milliseconds from now until {@code due}: 0 once it is past, {@link Long#MAX_VALUE} when more than that. */
    public static long millisUntil(Instant now, Instant due) {
        Duration left = Duration.between(now, due);
        if (left.isNegative()) {
            return 0;
        }
        try {
            return left.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
