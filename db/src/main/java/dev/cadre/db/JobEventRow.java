package dev.cadre.db;

import dev.cadre.protocol.JobState;
import java.time.Instant;

/** One appended state change. from is null for the row that created the job. */
public record JobEventRow(long seq, long jobId, Instant time, JobState from, JobState to, String reason,
        int attempt) {
}
