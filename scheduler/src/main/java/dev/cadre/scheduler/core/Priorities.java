package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A pending job's priority: a fixed one if it was given (scontrol update priority=), else a base, plus one
 * point per minute waited (up to a week, so old jobs cannot overtake everything for ever), less its nice value.
 * Ties go to the job submitted first: an array's tasks, split off or in a part of it (held, then released), by the
 * array's id, so that a part made later keeps the array's place before jobs submitted after it.
 *
 * <p>The rule itself ({@link #of(Long, Instant, int, Instant)}, {@link #agePoints}) is public for the client commands
 * that show it (sprio's factors, squeue's %Q, scontrol's Priority=), so that what they print is what the scheduler
 * orders by; this class uses nothing of the scheduler's beyond protocol's JobRecord, as those commands do not load
 * the rest.
 */
public final class Priorities {
    /** What every computed priority starts from (sprio's site factor). */
    public static final long BASE = 1_000_000;
    /** The most minutes of waiting that count (sprio's PriorityMaxAge, a week). */
    public static final long MAX_AGE_MINUTES = Duration.ofDays(7).toMinutes();

    private Priorities() {
    }

    static long of(JobRecord j, Instant now) {
        return of(j.spec().priority(), j.submitTime(), j.spec().niceOrZero(), now);
    }

    /**
     * A job's priority at {@code now}.
     *
     * @param fixed the priority it was given (sbatch --priority, scontrol update Priority=), which stands alone; null
     *        for a computed one
     * @param submitted when it was submitted
     * @param nice its nice value, taken off
     */
    public static long of(Long fixed, Instant submitted, int nice, Instant now) {
        if (fixed != null) {
            return fixed;
        }
        return BASE + agePoints(submitted, now) - nice;
    }

    /** The points a computed priority has for waiting from then until now: a minute each, at most a week's. */
    public static long agePoints(Instant submitted, Instant now) {
        long age = Math.max(0, Duration.between(submitted, now).toMinutes());
        return Math.min(age, MAX_AGE_MINUTES);
    }

    /** The id a job's place among equal priorities goes by: its array's for an array's task or part. */
    static long queueKey(JobRecord j) {
        return j.array() != null ? j.array().arrayJobId() : j.id();
    }

    /** Whether a job of the same priority as b goes first: by queue key, then by id. */
    static boolean before(JobRecord a, JobRecord b) {
        long ka = queueKey(a);
        long kb = queueKey(b);
        return ka != kb ? ka < kb : a.id() < b.id();
    }

    /**
     * Sorts jobs by priority, highest first, then by queue key and id; each priority is worked out once. Jobs arrive
     * in id order, and as long as their priorities do not rise along it (age alone), and no part or task of an older
     * array ties with a newer job before it, they are already sorted.
     */
    static List<JobRecord> ordered(List<JobRecord> jobs, Instant now) {
        int n = jobs.size();
        long[] prio = new long[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            prio[i] = of(jobs.get(i), now);
            sorted &= i == 0 || prio[i] < prio[i - 1]
                    || prio[i] == prio[i - 1] && before(jobs.get(i - 1), jobs.get(i));
        }
        if (sorted) {
            return jobs;
        }
        JobRecord[] out = new JobRecord[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> prio[a] != prio[b] ? Long.compare(prio[b], prio[a])
                : before(jobs.get(a), jobs.get(b)) ? -1 : before(jobs.get(b), jobs.get(a)) ? 1 : 0);
        for (int i = 0; i < n; i++) {
            out[i] = jobs.get(order[i]);
        }
        return Arrays.asList(out);
    }
}
