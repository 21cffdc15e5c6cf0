package dev.cadre.web;

import dev.cadre.db.JobQuery;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks that wait inside their arrays' records beyond the one each record counts as, for the queue length of
 * GET /api/cluster. The store counts records and has no query for array records, and reading every waiting record
 * at each call would cost half a second with 100,000 of them; so they are read once, and after that only the
 * records stored since (ids only grow, and an array's record is stored waiting, holding its tasks) and the arrays
 * known to hold tasks.
 */
final class WaitingArrayTasks {
    private static final Set<JobState> WAITING = Set.of(JobState.PENDING, JobState.REQUEUED);
    /** Ids per read of the known arrays: well below SQLite's limit of bound values. */
    private static final int IDS_PER_READ = 500;
    private final JobStore jobs;
    private final Set<Long> arrays = new HashSet<>();
    /** The highest id read among the waiting records; later ones are read at the next count. */
    private Long readUpTo;

    WaitingArrayTasks(JobStore jobs) {
        this.jobs = jobs;
    }

    synchronized long count() {
        while (true) {
            List<JobRecord> page = jobs.list(new JobQuery(WAITING, null, null, Set.of(), readUpTo,
                    JobQuery.MAX_LIMIT));
            for (JobRecord j : page) {
                if (holdsTasks(j)) {
                    arrays.add(j.id());
                }
                readUpTo = j.id();
            }
            if (page.size() < JobQuery.MAX_LIMIT) {
                break;
            }
        }
        long extra = 0;
        List<Long> known = new ArrayList<>(arrays);
        for (int from = 0; from < known.size(); from += IDS_PER_READ) {
            List<Long> ids = known.subList(from, Math.min(known.size(), from + IDS_PER_READ));
            Set<Long> stillWaiting = new HashSet<>();
            for (JobRecord j : jobs.list(new JobQuery(Set.of(), null, null, Set.copyOf(ids), null, ids.size()))) {
                if (holdsTasks(j)) {
                    stillWaiting.add(j.id());
                    extra += j.array().pending().count() - 1;
                }
            }
            // Every task started, or the array ended: its record holds no more, and never will again.
            ids.stream().filter(id -> !stillWaiting.contains(id)).toList().forEach(arrays::remove);
        }
        return extra;
    }

    private static boolean holdsTasks(JobRecord j) {
        return j.array() != null && j.array().pending() != null && WAITING.contains(j.state());
    }
}
