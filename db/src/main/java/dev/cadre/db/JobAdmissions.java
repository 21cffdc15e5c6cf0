package dev.cadre.db;

import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import dev.cadre.protocol.MessageCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * New jobs written for {@link JobStore#admit}: inserted PENDING with their creation event in the writer's
 * transaction, known submission keys skipped. Plain JDBC with reused statements: this is the submission hot path,
 * and per-row Jdbi statements cost more than SQLite itself.
 */
final class JobAdmissions {
    private JobAdmissions() {
    }

    static List<JobStore.Admission> admit(WriteConnection w, EventOutbox.Numbering events, List<JobStore.NewJob> jobs)
            throws SQLException {
        Map<String, JobRecord> known = JobStore.findByKeys(w.handle(), jobs.stream().map(JobStore.NewJob::submissionKey).toList());
        List<JobStore.Admission> out = new ArrayList<>(jobs.size());
        JobState initial = JobTransitions.initial();
        // Above every id ever given, pruned ones included (job_id_mark), not just the highest row left.
        PreparedStatement insert = w.statement("INSERT INTO jobs (id, submission_key, name, user, spec, state, reason,"
                + " submit_time) VALUES (" + JobStore.NEXT_ID + ", ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        PreparedStatement event = w.statement(JobChangeWriter.INSERT_EVENT);
        for (JobStore.NewJob job : jobs) {
            JobRecord existing = known.get(job.submissionKey());
            if (existing != null) {
                out.add(new JobStore.Admission(job, existing, true));
                continue;
            }
            insert.setString(1, job.submissionKey());
            insert.setString(2, job.spec().name() == null ? "" : job.spec().name());
            insert.setString(3, job.spec().user());
            insert.setString(4, MessageCodec.encodeValue(job.spec()));
            insert.setString(5, initial.name());
            insert.setString(6, job.initialReason());
            insert.setLong(7, job.submitTime().toEpochMilli());
            long id;
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            JobChangeWriter.bindEvent(event, events.next(), id, job.submitTime(), null, initial,
                    job.initialReason(), 0, null);
            event.addBatch();
            ArrayPart part = null;
            if (job.spec().hasArray()) {
                // One row for every task: a task gets a row of its own only when it starts.
                part = new ArrayPart(id, null, job.spec().arraySpec().indexes());
                PreparedStatement array = w.statement("UPDATE jobs SET array_job_id = id, array_pending = ?"
                        + " WHERE id = ?");
                array.setString(1, part.pending().toString());
                array.setLong(2, id);
                array.executeUpdate();
            }
            // Millisecond time, as stored: the record equals what a later read returns.
            Instant stored = Instant.ofEpochMilli(job.submitTime().toEpochMilli());
            JobRecord created = new JobRecord(id, job.submissionKey(), job.spec(), initial, job.initialReason(),
                    0, null, false, null, null, stored, null, null, null, part);
            known.put(job.submissionKey(), created);
            out.add(new JobStore.Admission(job, created, false));
        }
        event.executeBatch();
        return out;
    }
}
