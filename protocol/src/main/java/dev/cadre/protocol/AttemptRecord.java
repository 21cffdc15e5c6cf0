package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;

/**
 * One start of a job: where it ran, when, how it ended, and what it used.
 *
 * @param usage what its processes used on the node that ran its script, as that node reported at the end; null
 *        while it runs, and when no node reported it
 */
public record AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime,
        JobState state, Integer exitCode, Integer signal, String error, ResourceUsage usage) {
    @JsonCreator
    public AttemptRecord {
    }

    /** An attempt with no usage reported. */
    public AttemptRecord(long jobId, int attempt, String nodes, Instant startTime, Instant endTime, JobState state,
            Integer exitCode, Integer signal, String error) {
        this(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, null);
    }

    public AttemptRecord withUsage(ResourceUsage newUsage) {
        return new AttemptRecord(jobId, attempt, nodes, startTime, endTime, state, exitCode, signal, error, newUsage);
    }
}
