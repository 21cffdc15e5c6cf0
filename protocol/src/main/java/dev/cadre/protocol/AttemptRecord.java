package dev.cadre.protocol;

import java.time.Instant;

/** One start of a job: where it ran, when, and how it ended. */
public record AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime,
        JobState state, Integer exitCode, Integer signal, String error) {
}
