package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pending jobs in id order, and whether that order is already the scheduling order with every job free to
 * start. It is when no pending job has a fixed priority, a nice value or anything that could hold it back
 * ({@link Eligibility#mayBeHeldBack}), and submission times never decrease along the ids: then every priority
 * is its age, ages do not rise along the ids, and ties go by id, so {@link Priorities#ordered} would return the
 * jobs as they are and every one of them would be a candidate. A pass can then hand the policy the queue
 * unread and let it stop where it stops, instead of judging every pending job (a pass over 10,000 waiting jobs
 * cost about 1 ms, paid by every pass while the cluster is full).
 *
 * <p>Both conditions are kept as counts, updated on each change in O(log n): jobs that break the first, and
 * neighbouring pairs (in id order) whose submission times are out of order. No such pairs means the whole
 * sequence is in order.
 */
final class PendingQueue {
    private final TreeMap<Long, JobRecord> jobs = new TreeMap<>();
    /** The jobs that break plain order by themselves ({@link #irregular}), by id: a forecast takes them apart. */
    private final TreeMap<Long, JobRecord> irregularJobs = new TreeMap<>();
    private int inversions;

    void put(JobRecord job) {
        remove(job.id());
        JobRecord lower = valueOf(jobs.lowerEntry(job.id()));
        JobRecord higher = valueOf(jobs.higherEntry(job.id()));
        inversions += inverted(lower, job) + inverted(job, higher) - inverted(lower, higher);
        jobs.put(job.id(), job);
        if (irregular(job)) {
            irregularJobs.put(job.id(), job);
        }
    }

    void remove(long id) {
        JobRecord old = jobs.remove(id);
        if (old == null) {
            return;
        }
        JobRecord lower = valueOf(jobs.lowerEntry(id));
        JobRecord higher = valueOf(jobs.higherEntry(id));
        inversions -= inverted(lower, old) + inverted(old, higher) - inverted(lower, higher);
        irregularJobs.remove(id);
    }

    Collection<JobRecord> inIdOrder() {
        return jobs.values();
    }

    /** Whether id order is the scheduling order and every job may start as soon as it fits (see above). */
    boolean inPlainOrder() {
        return irregularJobs.isEmpty() && inversions == 0;
    }

    /**
     * Whether submission times never decrease along the ids (no job was submitted later than one with a higher id):
     * then the jobs that are not {@link #irregular}, whose priority is their age, are in priority order by id,
     * whatever the irregular ones among them.
     */
    boolean submittedInIdOrder() {
        return inversions == 0;
    }

    /** The pending jobs that have a fixed priority, a nice value or anything that could hold them back, by id. */
    Collection<JobRecord> irregularInIdOrder() {
        return irregularJobs.values();
    }

    static boolean irregular(JobRecord j) {
        return j.submitTime() == null || j.spec().priority() != null || j.spec().niceOrZero() != 0
                || Eligibility.mayBeHeldBack(j);
    }

    private static JobRecord valueOf(Map.Entry<Long, JobRecord> entry) {
        return entry == null ? null : entry.getValue();
    }

    /** 1 when both neighbours exist and the first was submitted after the second. */
    private static int inverted(JobRecord first, JobRecord second) {
        if (first == null || second == null) {
            return 0;
        }
        Instant a = first.submitTime();
        Instant b = second.submitTime();
        return a != null && b != null && a.isAfter(b) ? 1 : 0;
    }
}
