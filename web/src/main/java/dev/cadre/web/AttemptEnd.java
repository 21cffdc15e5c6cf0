package dev.cadre.web;

import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.List;

/**
 * The "end" event of a followed output: how the attempt followed ended, as its own record says. Not the job's
 * current state: a requeued job's earlier attempt ended NODE_FAIL, say, while the job runs again.
 *
 * @param state null only when the attempt's record has none, which a stored ended attempt always has
 */
record AttemptEnd(int attempt, JobState state, Integer exitCode) {

    /**
     * @param attempt the attempt followed, or null when the job ended without starting
     * @param attempts the job's attempts as stored
     */
    static AttemptEnd of(JobRecord job, Integer attempt, List<AttemptRecord> attempts) {
        if (attempt == null) {
            return new AttemptEnd(job.attempt(), job.state(), job.exitCode());
        }
        AttemptRecord a = attempts.stream().filter(r -> r.attempt() == attempt).findFirst().orElse(null);
        if (a != null && a.state() != null) {
            return new AttemptEnd(attempt, a.state(), a.exitCode());
        }
        // Its record is written with the job's change, so this is the job's own end as long as it is current.
        return attempt == job.attempt() ? new AttemptEnd(attempt, job.state(), job.exitCode())
                : new AttemptEnd(attempt, null, null);
    }
}
