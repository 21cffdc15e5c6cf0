package dev.cadre.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The suspensions of the jobs the utilization chart reads, from their stored state changes: scontrol suspend writes
 * a change to SUSPENDED, and the resume (or an end while suspended) one from it. Only the changes of each job's
 * current attempt count, as the chart counts only that attempt. No column or index is added: the jobs alive in
 * the window are found as {@link JobSearchQueries#spans} finds them, and their changes through job_events' index on
 * the job.
 */
final class JobSuspensions {
    private static final String SQL = "SELECT e.job_id, e.time, e.to_state FROM jobs j JOIN job_events e"
            + " ON e.job_id = j.id AND e.attempt = j.attempt WHERE j.start_time IS NOT NULL AND j.submit_time <= :to"
            + " AND (j.end_time IS NULL OR j.end_time >= :from)"
            + " AND (e.to_state = 'SUSPENDED' OR e.from_state = 'SUSPENDED') ORDER BY e.seq";

    private JobSuspensions() {
    }

    /** Each suspended job's suspensions, in time order; a job never suspended has no entry. */
    static Map<Long, List<JobSearchQueries.Suspension>> of(Handle h, Instant from, Instant to) {
        Map<Long, List<JobSearchQueries.Suspension>> out = new HashMap<>();
        Map<Long, Instant> open = new HashMap<>();
        h.createQuery(SQL).bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .map((rs, ctx) -> new Change(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                        "SUSPENDED".equals(rs.getString(3)))).forEach(c -> {
                            if (c.suspending()) {
                                open.putIfAbsent(c.job(), c.at());
                            } else {
                                Instant since = open.remove(c.job());
                                if (since != null) {
                                    out.computeIfAbsent(c.job(), k -> new ArrayList<>())
                                            .add(new JobSearchQueries.Suspension(since, c.at()));
                                }
                            }
                        });
        open.forEach((job, since) -> out.computeIfAbsent(job, k -> new ArrayList<>())
                .add(new JobSearchQueries.Suspension(since, null)));
        return out;
    }

    /** A change to SUSPENDED (suspending) or from it. */
    private record Change(long job, Instant at, boolean suspending) {
    }
}
