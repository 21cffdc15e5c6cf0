package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A new time limit for a running job (scontrol update TimeLimit=): stored with its spec, so that backfill plans the
 * job's end with it ({@link Release}) and it outlives a restart of the head, and sent to the coordinator, whose
 * node enforces the limit ({@code set-time-limit}). A limit the job has already run past stops it now, as TIMEOUT:
 * the node would stop it at once all the same, but the job shows COMPLETING at once and every node is told.
 */
final class RunningLimit {
    private final Clock clock;
    private final JobTable jobs;
    /** Orders the kill of a running attempt, to end as the state given ({@link KillOrders#stop}). */
    private final BiFunction<JobRecord, JobState, Decisions> stop;

    RunningLimit(Clock clock, JobTable jobs, BiFunction<JobRecord, JobState, Decisions> stop) {
        this.clock = clock;
        this.jobs = jobs;
        this.stop = stop;
    }

    /**
     * A running record's spec as an update leaves it: a new time limit ({@link #change}), or else its array's new
     * throttle alone, stored and announced with nothing for its node to enforce.
     */
    Decisions respec(JobRecord running, JobSpec spec) {
        if (!Objects.equals(spec.timeLimitSeconds(), running.spec().timeLimitSeconds())) {
            return change(running, spec);
        }
        Decisions d = new Decisions();
        if (!spec.equals(running.spec())) {
            JobRecord updated = running.withSpec(spec);
            jobs.put(updated);
            d.respec(updated);
        }
        return d;
    }

    /**
     * @param spec the job's spec with the new limit in place, already checked ({@link SpecUpdate#problem}); the limit
     *        the job has already decides nothing, as a hold of a held job ({@link PendingChange#applyTo})
     */
    Decisions change(JobRecord running, JobSpec spec) {
        Decisions d = new Decisions();
        if (spec.equals(running.spec())) {
            return d;
        }
        JobRecord updated = running.withSpec(spec);
        jobs.put(updated);
        d.respec(updated);
        Instant now = clock.instant();
        // A running record always has its start; without one the node's own clock decides.
        // Suspended time does not count: the limit is reached that much later.
        if (updated.startTime() != null && !updated.limitStart(now).plus(Release.limitOf(spec)).isAfter(now)) {
            d.addAll(stop.apply(updated, JobState.TIMEOUT));
        } else {
            d.send(NodeMessages.timeLimit(updated));
        }
        return d;
    }
}
