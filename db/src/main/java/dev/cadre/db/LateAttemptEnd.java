package dev.cadre.db;

import dev.cadre.protocol.ResourceUsage;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * When an attempt the head had closed on its own really ended, as its node reports once it is heard from again: a
 * node cut off by a partition runs the attempt on until it gets the kill, or until the script ends. The head closes
 * such an attempt as NODE_FAIL, or as REQUEUED with no exit code when a user's requeue was stopping it (a REQUEUED
 * row with one holds its node's own report, which a repeat must not move). Only the attempt's row takes it
 * (sacct's End, Elapsed, TotalCPU and MaxRSS, the REST API's attempts); its state stays, and the job, which has moved
 * on, is not touched. A row in any other state already holds its node's own end and is left as it is.
 *
 * @param endTime the node's time of the end, at most the head's clock; never stored before the attempt's start
 * @param usage what the attempt's processes used there, as the node reported with the end; null when it could not
 *        tell. A figure it does not give keeps what the row has (a repeat from a node-runner that lost it since)
 */
public record LateAttemptEnd(long jobId, int attempt, Instant endTime, int exitCode, int signal,
        ResourceUsage usage) {
    private static final String UPDATE = "UPDATE job_attempts SET end_time = MAX(start_time, ?), exit_code = ?,"
            + " signal = ?, user_cpu_micros = COALESCE(?, user_cpu_micros),"
            + " system_cpu_micros = COALESCE(?, system_cpu_micros), max_rss_bytes = COALESCE(?, max_rss_bytes),"
            + " max_vm_size_bytes = COALESCE(?, max_vm_size_bytes), disk_read_bytes = COALESCE(?, disk_read_bytes),"
            + " disk_write_bytes = COALESCE(?, disk_write_bytes)"
            + " WHERE job_id = ? AND attempt = ? AND (state = 'NODE_FAIL' OR state = 'REQUEUED' AND exit_code IS NULL)";

    public LateAttemptEnd {
        if (endTime == null) {
            throw new IllegalArgumentException("a late end of job " + jobId + " attempt " + attempt + " needs a time");
        }
    }

    /** A late end whose node reported no usage. */
    public LateAttemptEnd(long jobId, int attempt, Instant endTime, int exitCode, int signal) {
        this(jobId, attempt, endTime, exitCode, signal, null);
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
            ResourceUsage u = e.usage() == null ? new ResourceUsage(null, null, null) : e.usage();
            JobChangeWriter.setLong(update, 4, u.userCpuMicros());
            JobChangeWriter.setLong(update, 5, u.systemCpuMicros());
            JobChangeWriter.setLong(update, 6, u.maxRssBytes());
            JobChangeWriter.setLong(update, 7, u.maxVmSizeBytes());
            JobChangeWriter.setLong(update, 8, u.diskReadBytes());
            JobChangeWriter.setLong(update, 9, u.diskWriteBytes());
            update.setLong(10, e.jobId());
            update.setInt(11, e.attempt());
            update.addBatch();
        }
        update.executeBatch();
    }
}
