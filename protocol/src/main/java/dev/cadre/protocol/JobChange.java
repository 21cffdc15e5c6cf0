package dev.cadre.protocol;

import java.time.Instant;

/**
 * One decided change to a job, written atomically: the new job row, an event row when the state
 * moved, and the attempt row when an attempt started or ended.
 *
 * @param previous the state before; equal to job.state() for changes that do not move the state
 * @param attempt the attempt row to insert or replace, or null
 * @param cancelledBy who asked for the cancel this change carries out (a pending job's end, a running one's kill,
 *        and the CANCELLED its node's confirmation ends it in), kept with the job from then on for sacct's "CANCELLED
 *        by" and published with the change's job-state-changed; null for every other change, and for a cancel nobody
 *        named (the scheduler's own, or a client's that did not say who asks)
 */
public record JobChange(JobRecord job, JobState previous, Instant time, AttemptRecord attempt, String cancelledBy) {
    public JobChange(JobRecord job, JobState previous, Instant time, AttemptRecord attempt) {
        this(job, previous, time, attempt, null);
    }

    public boolean movesState() {
        return previous != job.state();
    }
}
