package dev.cadre.db;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * What sreport reads: the CPU time users' jobs held in a window, summed by SQLite from the attempts, so that a report
 * over months costs one query and an answer of a row per user and job size, not every job.
 */
public final class UsageQueries {
    /**
     * The CPUs an attempt held: its job's allocation's, summed by SQLite from the allocation's JSON; a job waiting to
     * run again after a requeue holds none, and counts what it asks for (its tasks times their CPUs; an array task's
     * row stores no spec and reads its array's). The record keeps one allocation, so a requeued job's earlier runs
     * count the CPUs of its latest.
     */
    private static final String CPUS = "COALESCE((SELECT SUM(json_extract(n.value, '$.cpus'))"
            + " FROM json_each(j.allocation, '$.nodes') n),"
            + " (SELECT COALESCE(json_extract(s.spec, '$.tasks'), COALESCE(json_extract(s.spec, '$.nodes'), 1)"
            + " * COALESCE(json_extract(s.spec, '$.tasksPerNode'), 1)) * COALESCE(json_extract(s.spec,"
            + " '$.cpusPerTask'), 1) FROM (SELECT COALESCE(NULLIF(j.spec, ''), (SELECT m.spec FROM jobs m"
            + " WHERE m.id = j.array_job_id)) AS spec) s))";

    /**
     * Each attempt's part inside [start, end): one still running counts up to now. Jobs are found through the index
     * on jobs(end_time), a job's end being its last attempt's (one waiting to run again has none), so a window in the
     * past reads only the jobs that ended after it began and those not ended; their attempts come by primary key.
     */
    static final String ATTEMPTS = "SELECT a.job_id AS job_id, j.user AS user, " + CPUS + " AS cpus,"
            + " MIN(COALESCE(a.end_time, :now), :end) - MAX(a.start_time, :start) AS held"
            + " FROM jobs j JOIN job_attempts a ON a.job_id = j.id"
            + " WHERE (j.end_time > :start OR j.end_time IS NULL) AND a.start_time < :end";

    private final Jdbi jdbi;
    private final NodeHistory nodes;

    UsageQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.nodes = new NodeHistory(jdbi);
    }

    /**
     * The cluster's CPU time in a period, split as sreport's cluster Utilization splits it (Slurm's rollup: the
     * allocated time is at most what the nodes had, and down time at most what allocation left; idle is the rest).
     * Cadre has no maintenance reservations or powered-down nodes (Slurm's PLND Down) and does not count the time
     * jobs waited for held resources (Slurm's Planned, once Reserved): both are 0.
     *
     * @param reported CPU-seconds of every node that was part of the cluster (its cores times its seconds in the period)
     * @param allocated CPUs times the seconds of every job attempt in the period, as {@link #byUserAndSize} counts them
     * @param down CPU-seconds of nodes down (not responding) or drained
     */
    public record ClusterUsage(long reported, long allocated, long down, long plannedDown, long idle, long planned) {
        static ClusterUsage of(NodeHistory.CpuTime nodes, long allocated) {
            long alloc = Math.min(allocated, nodes.total());
            long down = Math.min(nodes.down(), nodes.total() - alloc);
            return new ClusterUsage(nodes.total(), alloc, down, 0, nodes.total() - alloc - down, 0);
        }
    }

    /** The cluster's CPU time in [start, end): its nodes' history and its jobs' attempts, a running one up to now. */
    public ClusterUsage cluster(Instant start, Instant end, Instant now) {
        // Summed by user and job size first, as byUserAndSize rounds them, so that the figures of both reports agree.
        long allocated = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(s), 0) FROM (SELECT SUM(cpus * held)"
                + " / 1000 AS s FROM (" + ATTEMPTS + ") WHERE held > 0 GROUP BY user, cpus)")
                .bind("start", start.toEpochMilli()).bind("end", end.toEpochMilli()).bind("now", now.toEpochMilli())
                .mapTo(Long.class).one());
        return ClusterUsage.of(nodes.cpuTime(start, end, now), allocated);
    }

    /**
     * What one user's jobs of one size held in the window.
     *
     * @param cpus the CPUs each of these jobs held
     * @param jobs how many jobs had an attempt in the window
     * @param cpuSeconds CPUs times the seconds of their attempts inside the window, every attempt of a requeued job
     */
    public record UserJobSize(String user, int cpus, long jobs, long cpuSeconds) {
    }

    /**
     * The users' CPU time in [start, end), by user and job size, in the order of user then size.
     *
     * @param users only these users' jobs; every user's when empty
     * @param now where an attempt still running ends for the count
     */
    public List<UserJobSize> byUserAndSize(Instant start, Instant end, Instant now, List<String> users) {
        String sql = "SELECT user, cpus, COUNT(DISTINCT job_id), SUM(cpus * held) FROM (" + ATTEMPTS
                + (users.isEmpty() ? "" : " AND j.user IN (<users>)") + ") WHERE held > 0"
                + " GROUP BY user, cpus ORDER BY user, cpus";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("start", start.toEpochMilli()).bind("end", end.toEpochMilli())
                    .bind("now", now.toEpochMilli());
            if (!users.isEmpty()) {
                q.bindList("users", users);
            }
            return q.map((rs, ctx) -> new UserJobSize(rs.getString(1), rs.getInt(2), rs.getLong(3),
                    rs.getLong(4) / 1000)).list();
        });
    }

    /**
     * The CPUs of every node the head knows now, down or drained too: the cluster's size for sreport's percentages.
     * The user and account reports measure a window in the past against today's nodes; {@link #cluster} reads their
     * history.
     */
    public long clusterCpus() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cores), 0) FROM nodes").mapTo(Long.class).one());
    }
}
