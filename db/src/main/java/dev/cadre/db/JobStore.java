package dev.cadre.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Every job, its event log and its attempts. Writes are batched into single transactions and come from one
 * writer (the scheduler, under its lock).
 *
 * <p>The event log doubles as the outbox of job-state-changed events: see {@link EventOutbox}.
 */
public final class JobStore implements AutoCloseable {
    private static final ObjectMapper JSON = MessageCodec.mapper();
    /** A task row stores no spec of its own (an empty one) and reads its array's: arrays are stored compactly. */
    static final String COLUMNS = "id, submission_key,"
            + " COALESCE(NULLIF(spec, ''), (SELECT m.spec FROM jobs m WHERE m.id = jobs.array_job_id)), state,"
            + " reason, attempt, allocation, launch_confirmed, exit_code, signal, submit_time, start_time, end_time,"
            + " eligible_time, array_job_id, array_task_id, array_pending, suspend_time, suspended_millis";

    /** The highest job id ever given (see job_id_mark), or 0. */
    static final String HIGHEST_ID = "SELECT MAX(highest, COALESCE((SELECT MAX(id) FROM jobs), 0)) FROM job_id_mark";
    /** Run before rows of jobs are deleted: the ids they held are never given again. */
    static final String RAISE_ID_MARK = "UPDATE job_id_mark SET highest = MAX(highest, COALESCE((SELECT MAX(id) FROM"
            + " jobs), 0))";
    static final String NEXT_ID = "(" + HIGHEST_ID + ") + 1";

    private final Jdbi jdbi;
    private final EventOutbox outbox;
    private final JobHistoryQueries history;
    private final JobSearchQueries search;
    private final UsageQueries usage;
    private final FairShareStore fairShare;
    private final SingleWriter writer;
    private final AnsweredRequests answered;

    public JobStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.outbox = new EventOutbox(jdbi);
        this.writer = new SingleWriter(jdbi, outbox);
        this.history = new JobHistoryQueries(jdbi, this);
        this.search = new JobSearchQueries(jdbi);
        this.usage = new UsageQueries(jdbi);
        this.fairShare = new FairShareStore(jdbi);
        this.answered = new AnsweredRequests(jdbi);
    }

    /** Where published job events are marked; see the class comment. */
    public EventOutbox outbox() {
        return outbox;
    }

    /** A job to create. The submission key is unique: admitting it again returns the first job. */
    public record NewJob(String submissionKey, JobSpec spec, Instant submitTime, String initialReason) {
    }

    /** @param duplicate the key existed; job is the one it created */
    public record Admission(NewJob request, JobRecord job, boolean duplicate) {
    }

    /**
     * Inserts new jobs (PENDING, with their creation event) in one transaction, skipping known keys. A key
     * repeated within the batch is a duplicate of its first occurrence ({@link JobAdmissions}).
     */
    public List<Admission> admit(List<NewJob> jobs) {
        return writer.write((w, events) -> JobAdmissions.admit(w, events, jobs));
    }

    /** Closes the write connection; a later write opens another. */
    @Override
    public void close() {
        writer.close();
    }

    /** Jobs already created under these submission keys, by key; keys never seen are absent. */
    public Map<String, JobRecord> findBySubmissionKeys(List<String> keys) {
        return jdbi.withHandle(h -> findByKeys(h, keys));
    }

    static Map<String, JobRecord> findByKeys(Handle h, List<String> keys) {
        Map<String, JobRecord> found = new HashMap<>();
        int chunk = 500;
        for (int i = 0; i < keys.size(); i += chunk) {
            h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE submission_key IN (<keys>)")
                    .bindList("keys", keys.subList(i, Math.min(keys.size(), i + chunk)))
                    .map((rs, ctx) -> read(rs)).forEach(j -> found.put(j.submissionKey(), j));
        }
        return found;
    }

    /** Writes decided changes in one transaction; see {@link JobWrites}. */
    public void save(List<JobChange> changes) {
        save(List.of(), changes, List.of());
    }

    /** Writes split-off array tasks, then changes, then changed specs, in one transaction; see {@link JobWrites}. */
    public void save(List<JobRecord> inserted, List<JobChange> changes, List<JobRecord> respecified) {
        save(JobWrites.of(inserted, changes, respecified, List.of()));
    }

    /** Writes all that a decision stores, in one transaction; nothing of it when any part fails. */
    public void save(JobWrites writes) {
        if (!writes.isEmpty()) {
            writer.write((w, events) -> {
                writes.writeIn(w, events);
                return null;
            });
        }
    }

    /** Stores when attempts closed as NODE_FAIL really ended, in one transaction; see {@link LateAttemptEnd}. */
    public void saveLateEnds(List<LateAttemptEnd> ends) {
        if (!ends.isEmpty()) {
            writer.write((w, events) -> {
                LateAttemptEnd.writeIn(w, ends);
                return null;
            });
        }
    }

    /** Stores which time-limit shares attempts were mailed about, in one transaction; see {@link TimeLimitMailed}. */
    public void saveTimeLimitMailed(List<TimeLimitMailed> marks) {
        if (!marks.isEmpty()) {
            writer.write((w, events) -> {
                TimeLimitMailed.writeIn(w, marks);
                return null;
            });
        }
    }

    /** The time-limit shares mailed for the unfinished jobs' latest attempts, read at the scheduler's start. */
    public List<TimeLimitMailed> timeLimitMailed() {
        return TimeLimitMailed.unfinished(jdbi);
    }

    /** The control requests carried out, for the answer to a repeat; see {@link AnsweredRequests}. */
    public AnsweredRequests answeredRequests() {
        return answered;
    }

    public Optional<JobRecord> find(long id) {
        return jdbi.withHandle(h -> findById(h, id));
    }

    /** Reads of ended jobs and counts, for dependencies and services; see {@link JobHistoryQueries}. */
    public JobHistoryQueries history() {
        return history;
    }

    /** Searches, counts and spans in time for the REST API and the status page; see {@link JobSearchQueries}. */
    public JobSearchQueries search() {
        return search;
    }

    /** Users' fair-share usage; see {@link FairShareStore}. */
    public FairShareStore fairShare() {
        return fairShare;
    }

    /** Stores users' fair-share usage as charged up to its mark, in one transaction. */
    public void saveFairShare(FairShareStore.Charged charged) {
        writer.write((w, events) -> {
            FairShareStore.writeIn(w.handle(), charged);
            return null;
        });
    }

    /** The CPU time users' jobs held in a window, for sreport; see {@link UsageQueries}. */
    public UsageQueries usage() {
        return usage;
    }

    /** Jobs not yet in an end state: what the scheduler holds in memory. */
    public List<JobRecord> unfinished() {
        return inStates(s -> !s.isTerminal());
    }

    /** Jobs holding nodes (RUNNING, COMPLETING), however many: what the nodes' usage is made of. */
    public List<JobRecord> active() {
        return inStates(JobState::isActive);
    }

    private List<JobRecord> inStates(java.util.function.Predicate<JobState> wanted) {
        String states = java.util.Arrays.stream(JobState.values()).filter(wanted)
                .map(s -> "'" + s.name() + "'").collect(Collectors.joining(","));
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE state IN ("
                + states + ") ORDER BY id").map((rs, ctx) -> read(rs)).list());
    }

    public List<JobRecord> list(JobQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        if (!q.states().isEmpty()) {
            sql.append(" AND state IN (<states>)");
        }
        if (!q.ids().isEmpty()) {
            sql.append(" AND id IN (<ids>)");
        }
        if (q.user() != null) {
            sql.append(" AND user = :user");
        }
        if (q.name() != null) {
            sql.append(" AND name = :name");
        }
        if (q.afterId() != null) {
            sql.append(" AND id > :after");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("limit", q.limit());
            if (!q.states().isEmpty()) {
                query.bindList("states", q.states().stream().map(Enum::name).toList());
            }
            if (!q.ids().isEmpty()) {
                query.bindList("ids", List.copyOf(q.ids()));
            }
            if (q.user() != null) {
                query.bind("user", q.user());
            }
            if (q.name() != null) {
                query.bind("name", q.name());
            }
            if (q.afterId() != null) {
                query.bind("after", q.afterId());
            }
            return query.map((rs, ctx) -> read(rs)).list();
        });
    }

    private static Optional<JobRecord> findById(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = ?").bind(0, id)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    static JobRecord read(ResultSet rs) throws SQLException {
        try {
            String allocation = rs.getString(7);
            long arrayJobId = rs.getLong(15);
            ArrayPart array = rs.wasNull() ? null : new ArrayPart(arrayJobId, integer(rs, 16),
                    rs.getString(17) == null ? null : ArrayIndexes.parseStored(rs.getString(17)));
            return new JobRecord(rs.getLong(1), rs.getString(2), SpecCache.read(rs.getString(3), array != null),
                    JobState.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6),
                    allocation == null ? null : JSON.readValue(allocation, Allocation.class),
                    rs.getInt(8) != 0, integer(rs, 9), integer(rs, 10), Instant.ofEpochMilli(rs.getLong(11)),
                    instant(rs, 12), instant(rs, 13), instant(rs, 14), array, instant(rs, 18), rs.getLong(19));
        } catch (JsonProcessingException e) {
            throw new SQLException("job " + rs.getLong(1) + " has an unreadable stored spec: " + e.getMessage(), e);
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
