package dev.cadre.scheduler.core;

import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobPriority;
import dev.cadre.protocol.JobRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The order of pending jobs: by priority ({@link JobPriority}, the rule the client commands print too, with the users'
 * fair-share points as last worked out), highest first. Ties go to the job submitted first: an array's tasks, split
 * off or in a part of it (held, then released), by the array's id, so that a part made later keeps the array's place
 * before jobs submitted after it.
 */
final class Priorities {
    private Priorities() {
    }

    static long of(JobRecord j, Instant now, FairShare shares) {
        return JobPriority.of(j, now, shares);
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
    static List<JobRecord> ordered(List<JobRecord> jobs, Instant now, FairShare shares) {
        int n = jobs.size();
        long[] prio = new long[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            prio[i] = of(jobs.get(i), now, shares);
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
