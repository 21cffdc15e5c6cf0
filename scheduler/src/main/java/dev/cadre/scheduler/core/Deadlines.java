package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RejectionCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's --deadline, as slurmctld keeps it: a submission whose deadline has passed, or whose time limit from its
 * earliest start (now, or its begin time) runs past it, is refused; a pending job is ended DEADLINE (reason DeadLine)
 * once it can no longer end by it, which each pass judges from the stored spec and the clock, so a restarted head
 * decides alike (a deadline scontrol update sets too); a job starts with a time limit that ends by its deadline, so
 * that no policy, backfill included, places a job to end after it, and a running job is never ended by it. Cadre has
 * no --time-min, so the time limit is what must fit.
 */
final class Deadlines {
    /** Slurm's reason for a job ended so (FAIL_DEADLINE). */
    static final String REASON = "DeadLine";

    private Deadlines() {
    }

    /**
     * Why a new job with this spec is refused now, as slurmctld refuses it at submission; empty when it is not. It is
     * judged from the job's earliest start, its begin time when that is later than now, as slurmctld adds the time
     * limit to the begin time.
     */
    static Optional<Refusal> refusal(JobSpec spec, Instant now) {
        Instant deadline = spec.deadline();
        if (deadline == null) {
            return Optional.empty();
        }
        Instant start = earliestStart(spec, now);
        String why = null;
        if (deadline.isBefore(now)) {
            why = "is " + deadline + ", which has passed";
        } else if (spec.timeLimitSeconds() != null && start.plusSeconds(spec.timeLimitSeconds()).isAfter(deadline)) {
            why = "is " + deadline + ", before a time limit of " + spec.timeLimitSeconds() + " s from "
                    + (start.equals(now) ? "now" : "its begin time, " + start + ",") + " would end";
        }
        return why == null ? Optional.empty() : Optional.of(new Refusal(RejectionCode.UNREACHABLE_DEADLINE,
                new JobSpecValidator.Problem("spec.deadline", why)));
    }

    /**
     * Whether the pending job can no longer end by its deadline: started at the earliest, the later of now and its
     * begin time, its time limit would end after it; a job without one, once the deadline has come.
     */
    static boolean missed(JobSpec spec, Instant now) {
        return endsTooLate(spec, earliestStart(spec, now));
    }

    /**
     * Whether a job started then could not end by its deadline: its time limit would end after it, or, without one,
     * the deadline has come by then. Such a start never happens: the pass ends the job first ({@link #missed}).
     */
    static boolean endsTooLate(JobSpec spec, Instant start) {
        Instant deadline = spec.deadline();
        if (deadline == null) {
            return false;
        }
        return spec.timeLimitSeconds() == null ? !start.isBefore(deadline)
                : start.plusSeconds(spec.timeLimitSeconds()).isAfter(deadline);
    }

    private static Instant earliestStart(JobSpec spec, Instant now) {
        return spec.beginTime() != null && spec.beginTime().isAfter(now) ? spec.beginTime() : now;
    }

    /** Ends, DEADLINE, each pending record that can no longer end by its deadline (an array's pending tasks alike). */
    static Decisions endMissed(JobTable jobs, JobEndings endings, Instant now) {
        Decisions d = new Decisions();
        for (JobRecord j : List.copyOf(jobs.pendingWithDeadline())) {
            if (j.state() == JobState.PENDING && missed(j.spec(), now)) {
                d.addAll(endings.end(jobs, j, JobState.DEADLINE, REASON, null, null, null));
            }
        }
        return d;
    }

    /**
     * The job as it starts now: a job whose time limit would run past its deadline, none given included, gets the
     * time left to the deadline as its limit, as slurmctld sets it; null when it keeps its spec.
     */
    static JobSpec limitedAtStart(JobSpec spec, Instant now) {
        if (spec.deadline() == null) {
            return null;
        }
        long left = Math.max(1, Duration.between(now, spec.deadline()).toSeconds());
        if (spec.timeLimitSeconds() != null && spec.timeLimitSeconds() <= left) {
            return null;
        }
        return spec.toBuilder().timeLimitSeconds(left).build();
    }
}
