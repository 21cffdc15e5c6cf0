package dev.cadre.db;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ResourceUsage;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Writes decided changes inside the caller's transaction with statements prepared once per write connection.
 * Plain JDBC because this runs for every queued job's reason and every state change, and binding through
 * Jdbi per row cost more than SQLite itself. A job's spec changes only by request (hold, release, update).
 */
final class JobChangeWriter {
    static final String INSERT_EVENT = "INSERT INTO job_events (seq, job_id, time, from_state, to_state, reason,"
            + " attempt, array_task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_JOB = "UPDATE jobs SET state = ?, reason = ?, attempt = ?, allocation = ?,"
            + " launch_confirmed = ?, exit_code = ?, signal = ?, start_time = ?, end_time = ?, eligible_time = ?,"
            + " array_task_id = ?, array_pending = ?, suspend_time = ?, suspended_millis = ? WHERE id = ?";
    /** Apart from UPDATE_JOB: only a cancel's change names who asked, and it is never taken back. */
    private static final String SET_CANCELLED_BY = "UPDATE jobs SET cancelled_by = ? WHERE id = ?";
    private static final String INSERT_TASK = "INSERT INTO jobs (id, submission_key, name, user, spec, state, reason,"
            + " submit_time, array_job_id, array_task_id, array_pending) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SPEC = "UPDATE jobs SET spec = ?, name = ? WHERE id = ?";
    /** Split-off tasks that read their array's spec keep the one they were split off with. */
    private static final String KEEP_TASK_SPECS = "UPDATE jobs SET spec = (SELECT m.spec FROM jobs m WHERE m.id = ?)"
            + " WHERE array_job_id = ? AND id <> ? AND spec = ''";
    /** Before any part goes: nor are its events' numbers given again (see Schema). */
    private static final String KEEP_SEQ = "UPDATE event_outbox SET highest_seq = MAX(highest_seq,"
            + " COALESCE((SELECT MAX(seq) FROM job_events), 0))";
    /** A part of an array emptied into another record: its events first, as they refer to it. */
    private static final String DELETE_EVENTS = "DELETE FROM job_events WHERE job_id = ?";
    private static final String DELETE_ATTEMPTS = "DELETE FROM job_attempts WHERE job_id = ?";
    private static final String DELETE_CPUS = "DELETE FROM attempt_cpus WHERE job_id = ?";
    private static final String DELETE_JOB = "DELETE FROM jobs WHERE id = ?";
    private static final String IS_PART = "SELECT 1 FROM jobs WHERE id = ? AND array_job_id IS NOT NULL"
            + " AND array_job_id <> id AND array_task_id IS NULL";
    /**
     * An attempt's row as the scheduler knows it, its time_limit_mailed aside (TimeLimitMailed): the scheduler writes
     * that alone, and a row first written takes the shares the job's attempt before it was mailed about.
     */
    private static final String UPSERT_ATTEMPT = "INSERT INTO job_attempts (job_id, attempt, nodes,"
            + " start_time, end_time, state, exit_code, signal, error, user_cpu_micros, system_cpu_micros,"
            + " max_rss_bytes, max_vm_size_bytes, disk_read_bytes, disk_write_bytes, time_limit_mailed)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + TimeLimitMailed.CARRIED_FROM_EARLIER + ")"
            + " ON CONFLICT (job_id, attempt) DO UPDATE SET nodes = excluded.nodes,"
            + " start_time = excluded.start_time, end_time = excluded.end_time, state = excluded.state,"
            + " exit_code = excluded.exit_code, signal = excluded.signal, error = excluded.error,"
            + " user_cpu_micros = excluded.user_cpu_micros, system_cpu_micros = excluded.system_cpu_micros,"
            + " max_rss_bytes = excluded.max_rss_bytes, max_vm_size_bytes = excluded.max_vm_size_bytes,"
            + " disk_read_bytes = excluded.disk_read_bytes, disk_write_bytes = excluded.disk_write_bytes";

    private JobChangeWriter() {
    }

    /** Checks each change against the transition table, then writes it; throws before writing a bad one. */
    static void write(WriteConnection w, EventOutbox.Numbering events, List<JobChange> changes)
            throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        PreparedStatement update = w.statement(UPDATE_JOB);
        for (JobChange change : changes) {
            JobRecord j = change.job();
            if (change.movesState()) {
                JobTransitions.check(j.id(), change.previous(), j.state());
            }
            update.setString(1, j.state().name());
            update.setString(2, j.reason());
            update.setInt(3, j.attempt());
            update.setString(4, j.allocation() == null ? null : MessageCodec.encodeValue(j.allocation()));
            update.setInt(5, j.launchConfirmed() ? 1 : 0);
            setInteger(update, 6, j.exitCode());
            setInteger(update, 7, j.signal());
            setMillis(update, 8, j.startTime());
            setMillis(update, 9, j.endTime());
            setMillis(update, 10, j.eligibleTime());
            setInteger(update, 11, j.array() == null ? null : j.array().taskId());
            update.setString(12, j.array() == null || j.array().pending() == null ? null
                    : j.array().pending().toString());
            setMillis(update, 13, j.suspendTime());
            update.setLong(14, j.suspendedMillis());
            update.setLong(15, j.id());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("job " + j.id() + " does not exist");
            }
            if (change.cancelledBy() != null) {
                PreparedStatement canceller = w.statement(SET_CANCELLED_BY);
                canceller.setString(1, change.cancelledBy());
                canceller.setLong(2, j.id());
                canceller.executeUpdate();
            }
            if (change.movesState()) {
                PreparedStatement event = w.statement(INSERT_EVENT);
                bindEvent(event, events.next(), j.id(), change.time(), change.previous(), j.state(), j.reason(),
                        j.attempt(), j.arrayTaskId());
                event.executeUpdate();
            }
            if (change.attempt() != null) {
                PreparedStatement attempt = w.statement(UPSERT_ATTEMPT);
                bindAttempt(attempt, change.attempt());
                attempt.executeUpdate();
            }
        }
    }

    /**
     * Array tasks split off their array's row (or a part's): new rows in PENDING, with their creation events; also
     * the rows of parts, pending tasks that a task-list hold, release or cancel moves together. A task or part split
     * off a part has its spec written after, as a part's may differ from the array's.
     */
    static void insertTasks(WriteConnection w, EventOutbox.Numbering events, List<JobRecord> tasks)
            throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        PreparedStatement insert = w.statement(INSERT_TASK);
        PreparedStatement event = w.statement(INSERT_EVENT);
        for (JobRecord t : tasks) {
            insert.setLong(1, t.id());
            insert.setString(2, t.submissionKey());
            insert.setString(3, t.name() == null ? "" : t.name());
            insert.setString(4, t.user());
            insert.setString(5, t.state().name());
            insert.setString(6, t.reason());
            insert.setLong(7, t.submitTime().toEpochMilli());
            insert.setLong(8, t.array().arrayJobId());
            // Null for a part's row, which holds tasks unstarted together instead.
            setInteger(insert, 9, t.array().taskId());
            insert.setString(10, t.array().pending() == null ? null : t.array().pending().toString());
            insert.addBatch();
            bindEvent(event, events.next(), t.id(), t.submitTime(), null, t.state(), t.reason(), 0, t.arrayTaskId());
            event.addBatch();
        }
        insert.executeBatch();
        event.executeBatch();
    }

    /**
     * A held, released or updated spec. When it is an array's record, its split-off tasks that store no spec of
     * their own are first given the one they have: they ran, or run, as it was, and a hold or update of the
     * array's pending tasks must not change what they show, or a held spec they would take on when requeued.
     */
    static void updateSpecs(WriteConnection w, List<JobRecord> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        PreparedStatement update = w.statement(UPDATE_SPEC);
        for (JobRecord j : jobs) {
            if (j.array() != null && j.array().arrayJobId() == j.id()) {
                PreparedStatement keep = w.statement(KEEP_TASK_SPECS);
                keep.setLong(1, j.id());
                keep.setLong(2, j.id());
                keep.setLong(3, j.id());
                keep.executeUpdate();
            }
            update.setString(1, MessageCodec.encodeValue(j.spec()));
            update.setString(2, j.name() == null ? "" : j.name());
            update.setLong(3, j.id());
            update.addBatch();
        }
        update.executeBatch();
    }

    /**
     * Deletes parts of arrays whose tasks all joined another record of the array, with their history: a part is
     * how the store holds tasks a list named, not a job anyone submitted, so nothing is left of it to show. Only a
     * part, never an array's own record or a job, whatever the ids given. Its id and its events' numbers are kept
     * from being given again, as history pruning keeps them.
     */
    static void delete(WriteConnection w, List<Long> parts) throws SQLException {
        if (parts.isEmpty()) {
            return;
        }
        w.statement(JobStore.RAISE_ID_MARK).executeUpdate();
        w.statement(KEEP_SEQ).executeUpdate();
        PreparedStatement isPart = w.statement(IS_PART);
        PreparedStatement events = w.statement(DELETE_EVENTS);
        PreparedStatement attempts = w.statement(DELETE_ATTEMPTS);
        PreparedStatement cpus = w.statement(DELETE_CPUS);
        PreparedStatement job = w.statement(DELETE_JOB);
        for (long id : parts) {
            isPart.setLong(1, id);
            try (var rs = isPart.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("job " + id + " is not a stored part of an array");
                }
            }
            for (PreparedStatement s : List.of(events, attempts, cpus, job)) {
                s.setLong(1, id);
                s.executeUpdate();
            }
        }
    }

    /** @param arrayTaskId the task the record runs as it is after the change (its event's), or null */
    static void bindEvent(PreparedStatement event, long seq, long jobId, Instant time, JobState from, JobState to,
            String reason, int attempt, Integer arrayTaskId) throws SQLException {
        event.setLong(1, seq);
        event.setLong(2, jobId);
        event.setLong(3, time.toEpochMilli());
        event.setString(4, from == null ? null : from.name());
        event.setString(5, to.name());
        event.setString(6, reason);
        event.setInt(7, attempt);
        setInteger(event, 8, arrayTaskId);
    }

    private static void bindAttempt(PreparedStatement s, AttemptRecord a) throws SQLException {
        s.setLong(1, a.jobId());
        s.setInt(2, a.attempt());
        s.setString(3, a.nodes());
        s.setLong(4, a.startTime().toEpochMilli());
        setMillis(s, 5, a.endTime());
        s.setString(6, a.state() == null ? null : a.state().name());
        setInteger(s, 7, a.exitCode());
        setInteger(s, 8, a.signal());
        s.setString(9, a.error());
        ResourceUsage used = a.usage();
        setLong(s, 10, used == null ? null : used.userCpuMicros());
        setLong(s, 11, used == null ? null : used.systemCpuMicros());
        setLong(s, 12, used == null ? null : used.maxRssBytes());
        setLong(s, 13, used == null ? null : used.maxVmSizeBytes());
        setLong(s, 14, used == null ? null : used.diskReadBytes());
        setLong(s, 15, used == null ? null : used.diskWriteBytes());
        s.setLong(16, a.jobId());
        s.setInt(17, a.attempt());
    }

    static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setLong(index, value);
        }
    }

    private static void setInteger(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    private static void setMillis(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setLong(index, value.toEpochMilli());
        }
    }
}
