package dev.cadre.protocol;

import java.time.Instant;

/**
 * One decided change to a job, written atomically: the new job row, an event row when the state
 * moved, and the attempt row when an attempt started or ended.
 *
 * @param previous the state before; equal to job.state() for changes that do not move the state
 * @param attempt the attempt row to insert or replace, or null
 */
public record JobChange(JobRecord job, JobState previous, Instant time, AttemptRecord attempt) {
    public boolean movesState() {
        return previous != job.state();
    }
}
