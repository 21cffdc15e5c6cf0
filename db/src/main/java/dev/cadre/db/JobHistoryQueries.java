package dev.cadre.db;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads of a job's past and of the table as a whole: its event log and attempts, ended jobs and array tasks for
 * the dependencies that name them, task and instance counts, and the highest id. Kept apart from {@link JobStore}, which writes.
 */
public final class JobHistoryQueries {
    private final Jdbi jdbi;
    private final JobStore jobs;

    JobHistoryQueries(Jdbi jdbi, JobStore jobs) {
        this.jdbi = jdbi;
        this.jobs = jobs;
    }

    /** The highest job id ever given, pruned ones included, or 0: split-off array tasks take ids above it. */
    public long highestId() {
        return jdbi.withHandle(h -> h.createQuery(JobStore.HIGHEST_ID).mapTo(Long.class).one());
    }

    /**
     * Who cancelled each of these jobs that ended CANCELLED, by job id, as the cancel-job that ended it named them
     * (sacct's "CANCELLED by"); a job not cancelled, cancelled by the scheduler itself or by a request that named
     * nobody, or unknown, has no entry. A job whose kill was asked for but that ended otherwise (its time limit struck
     * first) has none either: the name is kept from the kill's order on, and shown only for the end it asked for.
     */
    public Map<Long, String> cancellers(Collection<Long> ids) {
        return cancellers(ids, JobState.CANCELLED);
    }

    /**
     * Who named the cancels that ordered the kills of these jobs still being stopped (COMPLETING), by job id: the
     * scheduler, started again before the nodes confirmed, names them on the CANCELLED events the confirmations bring.
     */
    public Map<Long, String> killCancellers(Collection<Long> ids) {
        return cancellers(ids, JobState.COMPLETING);
    }

    private Map<Long, String> cancellers(Collection<Long> ids, JobState state) {
        Map<Long, String> found = new HashMap<>();
        List<Long> all = List.copyOf(ids);
        int chunk = 500;
        jdbi.useHandle(h -> {
            for (int i = 0; i < all.size(); i += chunk) {
                h.createQuery("SELECT id, cancelled_by FROM jobs WHERE id IN (<ids>) AND state = :state"
                        + " AND cancelled_by IS NOT NULL").bind("state", state.name())
                        .bindList("ids", all.subList(i, Math.min(all.size(), i + chunk)))
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                        .forEach(e -> found.put(e.getKey(), e.getValue()));
            }
        });
        return found;
    }

    /**
     * The rows pending jobs' dependencies name, read in bulk (see {@link NamedJobs}).
     *
     * @param ids the jobs and arrays named
     * @param taskIds the array task ids named
     * @param singletonNames the names of the jobs with a singleton condition
     */
    public NamedJobs named(Collection<Long> ids, Collection<Integer> taskIds, Collection<String> singletonNames) {
        return NamedJobs.read(jdbi, ids, taskIds, singletonNames);
    }

    /** An ended job, for the dependencies that name it; empty when it does not exist or has not ended. */
    public Optional<JobRecord> ended(long id) {
        return jobs.find(id).filter(j -> j.state().isTerminal());
    }

    /**
     * An ended task of an array; empty when it does not exist or has not ended. A task that a task-list cancel ended
     * before it started has no row of its own: the answer is the ended row holding it (see {@link #unstartedParts}).
     */
    public Optional<JobRecord> endedTask(long arrayJobId, int taskId) {
        Optional<JobRecord> own = task(arrayJobId, taskId);
        if (own.isPresent()) {
            return own.filter(j -> j.state().isTerminal());
        }
        return unstartedParts(arrayJobId).stream().filter(p -> p.array().pending().contains(taskId)).findFirst();
    }

    /** The row of a task of its own (it started, or was split off to be changed alone), in any state. */
    public Optional<JobRecord> task(long arrayJobId, int taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobStore.COLUMNS + " FROM jobs WHERE"
                + " array_job_id = ? AND array_task_id = ?").bind(0, arrayJobId).bind(1, taskId)
                .map((rs, ctx) -> JobStore.read(rs)).findOne());
    }

    /**
     * The rows in which task-list cancels ended pending tasks of the array together, before they started, and the
     * parts that ended holding tasks unstarted (scancel of the array): the ended ones of {@link #parts}.
     */
    public List<JobRecord> unstartedParts(long arrayJobId) {
        return parts(arrayJobId).stream().filter(j -> j.state().isTerminal()).toList();
    }

    /**
     * The array's parts: rows that hold some of its tasks unstarted as the array's row holds its pending ones
     * (array_pending), under an id of their own, whether they still wait (a task-list hold made them) or ended so.
     * Not the array's own row.
     */
    public List<JobRecord> parts(long arrayJobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + JobStore.COLUMNS + " FROM jobs WHERE array_job_id = ?"
                + " AND array_task_id IS NULL AND array_pending IS NOT NULL AND id <> ?").bind(0, arrayJobId)
                .bind(1, arrayJobId).map((rs, ctx) -> JobStore.read(rs)).list());
    }

    /** Ended tasks of an array, counted by state; empty for a job that is not an array. */
    public Map<JobState, Integer> endedTasks(long arrayJobId) {
        Map<JobState, Integer> out = new java.util.EnumMap<>(JobState.class);
        jdbi.useHandle(h -> h.createQuery("SELECT state, COUNT(*) FROM jobs WHERE array_job_id = ? AND"
                + " array_task_id IS NOT NULL GROUP BY state").bind(0, arrayJobId)
                .map((rs, ctx) -> Map.entry(JobState.valueOf(rs.getString(1)), rs.getInt(2)))
                .forEach(e -> {
                    if (e.getKey().isTerminal()) {
                        out.put(e.getKey(), e.getValue());
                    }
                }));
        return out;
    }

    /** The ended records of an array in one end state, and the lowest and highest exit code among them. */
    public record EndedExits(JobState state, int lowest, int highest) {
    }

    /**
     * What the array's ended records came to, by end state: its tasks, and the parts that ended holding tasks unstarted
     * (a record without an exit code counts as 0, as Slurm's summary counts it). One grouped read over the array's rows
     * (index jobs_array), however many tasks it has: the array's summary mail is decided from it.
     */
    public List<EndedExits> arrayExits(long arrayJobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state, MIN(COALESCE(exit_code, 0)), MAX(COALESCE(exit_code,"
                + " 0)) FROM jobs WHERE array_job_id = ? GROUP BY state").bind(0, arrayJobId)
                .map((rs, ctx) -> new EndedExits(JobState.valueOf(rs.getString(1)), rs.getInt(2), rs.getInt(3)))
                .list().stream().filter(e -> e.state().isTerminal()).toList());
    }

    /**
     * Unfinished instances of every standing service, counted by state, in one pass over the unfinished jobs: a
     * list of services costs one scan however many there are. Split-off array tasks store an empty spec, which
     * is not JSON; they are never instances.
     */
    public Map<String, Map<JobState, Integer>> serviceInstances() {
        Map<String, Map<JobState, Integer>> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT service, state, COUNT(*) FROM (SELECT CASE WHEN spec = '' THEN"
                + " NULL ELSE json_extract(spec, '$.service') END AS service, state FROM jobs WHERE state IN"
                + " ('PENDING', 'RUNNING', 'COMPLETING', 'REQUEUED', 'SUSPENDED')) WHERE service IS NOT NULL GROUP BY service,"
                + " state").map((rs, ctx) -> new InstanceCount(rs.getString(1), JobState.valueOf(rs.getString(2)),
                        rs.getInt(3)))
                .forEach(c -> out.computeIfAbsent(c.service(), k -> new java.util.EnumMap<>(JobState.class))
                        .put(c.state(), c.count())));
        return out;
    }

    private record InstanceCount(String service, JobState state, int count) {
    }

    public List<JobEventRow> events(long jobId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq, job_id, time, from_state, to_state, reason, attempt"
                + " FROM job_events WHERE job_id = ? ORDER BY seq").bind(0, jobId)
                .map((rs, ctx) -> new JobEventRow(rs.getLong(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4) == null ? null : JobState.valueOf(rs.getString(4)),
                        JobState.valueOf(rs.getString(5)), rs.getString(6), rs.getInt(7)))
                .list());
    }

    private static final String ATTEMPT_COLUMNS = "SELECT job_id, attempt, nodes, start_time, end_time, state,"
            + " exit_code, signal, error, user_cpu_micros, system_cpu_micros, max_rss_bytes, max_vm_size_bytes,"
            + " disk_read_bytes, disk_write_bytes FROM job_attempts";

    /**
     * A job's attempts, first first, each with what its processes used when its node reported that, and the CPU ids
     * its nodes said it held ({@link AttemptCpus}), read in one read transaction.
     */
    public List<AttemptRecord> attempts(long jobId) {
        return ReadTransaction.of(jdbi, h -> {
            List<AttemptRecord> attempts = h.createQuery(ATTEMPT_COLUMNS + " WHERE job_id = ? ORDER BY attempt")
                    .bind(0, jobId).map((rs, ctx) -> attempt(rs)).list();
            Map<Integer, List<AttemptRecord.NodeCpus>> cpus = AttemptCpus.ofJob(h, jobId);
            return attempts.stream().map(a -> a.withCpus(cpus.get(a.attempt()))).toList();
        });
    }

    /**
     * The attempts of each of these jobs, by job id, as {@link #attempts(long)} gives them (a job without any has no
     * entry), in one read transaction and two statements per 500 jobs: a page of jobs read whole costs no read per job.
     */
    public Map<Long, List<AttemptRecord>> attempts(Collection<Long> jobIds) {
        Map<Long, List<AttemptRecord>> found = new HashMap<>();
        List<Long> all = List.copyOf(jobIds);
        int chunk = 500;
        ReadTransaction.of(jdbi, h -> {
            for (int i = 0; i < all.size(); i += chunk) {
                List<Long> ids = all.subList(i, Math.min(all.size(), i + chunk));
                Map<Long, Map<Integer, List<AttemptRecord.NodeCpus>>> cpus = AttemptCpus.ofJobs(h, ids);
                h.createQuery(ATTEMPT_COLUMNS + " WHERE job_id IN (<ids>) ORDER BY job_id, attempt")
                        .bindList("ids", ids)
                        .map((rs, ctx) -> attempt(rs))
                        .forEach(a -> found.computeIfAbsent(a.jobId(), k -> new ArrayList<>())
                                .add(a.withCpus(cpus.getOrDefault(a.jobId(), Map.of()).get(a.attempt()))));
            }
            return null;
        });
        return found;
    }

    private static AttemptRecord attempt(ResultSet rs) throws SQLException {
        return new AttemptRecord(rs.getLong(1), rs.getInt(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                JobStore.instant(rs, 5), rs.getString(6) == null ? null : JobState.valueOf(rs.getString(6)),
                JobStore.integer(rs, 7), JobStore.integer(rs, 8), rs.getString(9), usage(rs, 10));
    }

    /**
     * The six figures from column {@code first} on, or null when none is known: an attempt that runs, ended
     * before usage was kept, or whose node could not tell.
     */
    private static ResourceUsage usage(ResultSet rs, int first) throws SQLException {
        ResourceUsage u = new ResourceUsage(longOrNull(rs, first), longOrNull(rs, first + 1),
                longOrNull(rs, first + 2), longOrNull(rs, first + 3), longOrNull(rs, first + 4),
                longOrNull(rs, first + 5));
        return u.unknown() ? null : u;
    }

    private static Long longOrNull(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }
}
