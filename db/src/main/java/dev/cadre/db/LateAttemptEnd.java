package dev.cadre.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * When an attempt the head had closed on its own really ended, as its node reports once it is heard from again: a
 * node cut off by a partition runs the attempt on until it gets the kill, or until the script ends. The head closes
 * such an attempt as NODE_FAIL, or as REQUEUED with no exit code when a user's requeue was stopping it (a REQUEUED
 * row with one holds its node's own report, which a repeat must not move). Only the attempt's row takes it
 * (sacct's End and Elapsed, the REST API's attempts); its state stays, and the job, which has moved on, is not
 * touched. A row in any other state already holds its node's own end and is left as it is.
 *
 * @param endTime the node's time of the end, at most the head's clock; never stored before the attempt's start
 */
public record LateAttemptEnd(long jobId, int attempt, Instant endTime, int exitCode, int signal) {
    private static final String UPDATE = "UPDATE job_attempts SET end_time = MAX(start_time, ?), exit_code = ?,"
            + " signal = ? WHERE job_id = ? AND attempt = ?"
            + " AND (state = 'NODE_FAIL' OR state = 'REQUEUED' AND exit_code IS NULL)";

    public LateAttemptEnd {
        if (endTime == null) {
            throw new IllegalArgumentException("a late end of job " + jobId + " attempt " + attempt + " needs a time");
        }
    }

    /** Writes the ends inside the caller's transaction. */
    static void writeIn(WriteConnection w, List<LateAttemptEnd> ends) throws SQLException {
        if (ends.isEmpty()) {
            return;
        }
        PreparedStatement update = w.statement(UPDATE);
        for (LateAttemptEnd e : ends) {
            update.setLong(1, e.endTime().toEpochMilli());
            update.setInt(2, e.exitCode());
            update.setInt(3, e.signal());
            update.setLong(4, e.jobId());
            update.setInt(5, e.attempt());
            update.addBatch();
        }
        update.executeBatch();
    }
}
