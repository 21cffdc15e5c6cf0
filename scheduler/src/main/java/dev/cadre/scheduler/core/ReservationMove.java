package dev.cadre.scheduler.core;

import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * scontrol update JobId=N ReservationName=NAME, judged as slurmctld's _update_job judges it: the name the job has
 * already (or "" for a job in none) changes nothing and is checked no further; otherwise only a pending or running
 * job moves (a suspended one is not running to slurmctld), into a reservation that exists and admits its user
 * (validate_job_resv), or out of its own with "". A running job keeps its nodes and its time limit, which slurmctld
 * leaves alone; but slurmctld ends a job running in a reservation once the reservation ends (ResvOverRun=0), so a
 * running job moved in has its limit cut to the reservation's end, as a job started in one has. Pure.
 */
final class ReservationMove {
    /** Why a reservation cannot be changed in this state, as the cli tells it from others (Slurm's words there). */
    static final String NOT_PENDING_NOR_RUNNING = "only a pending or running job changes its reservation";

    private ReservationMove() {
    }

    /**
     * Why the request may not change the reservation of the records it names, or null: the first record that is
     * neither pending nor running, or a reservation that is not there or does not admit a record's user.
     */
    static String problem(ControlRequest.UpdateJob r, List<JobRecord> targets, AdvanceReservations reservations) {
        if (r.reservation() == null) {
            return null;
        }
        for (JobRecord j : targets) {
            if (stays(r, j.spec())) {
                continue;
            }
            if (j.state() != JobState.PENDING && j.state() != JobState.RUNNING) {
                return "reservation: job " + j.displayId() + " is " + j.state() + "; " + NOT_PENDING_NOR_RUNNING;
            }
            if (!r.reservation().isEmpty()) {
                JobSpec moved = j.spec().toBuilder().reservation(r.reservation()).build();
                var refusal = reservations.refusal(moved);
                if (refusal.isPresent()) {
                    return "reservation: " + refusal.get().problem().message();
                }
            }
        }
        return null;
    }

    /** Whether the update leaves this spec's reservation as it is: the same name, or "" for a job in none. */
    static boolean stays(ControlRequest.UpdateJob r, JobSpec spec) {
        String asked = r.reservation().isEmpty() ? null : r.reservation();
        return Objects.equals(asked, spec.reservation());
    }

    /**
     * A running job's spec once it is in the reservation the update gives: its time limit cut to the time from its
     * start to the reservation's end (the current occurrence's, for one that recurs) when it would run past it, as
     * a job started in the reservation has; a job taken out of one keeps its limit, as slurmctld leaves it.
     */
    static JobSpec forRunning(JobSpec updated, JobRecord running, AdvanceReservations reservations, Instant now) {
        Instant end = updated.reservation() == null || Objects.equals(updated.reservation(),
                running.spec().reservation()) ? null : reservations.endOf(updated.reservation(), now);
        if (end == null || running.startTime() == null) {
            return updated;
        }
        long most = Math.max(1, Duration.between(running.limitStart(now), end).toSeconds());
        Long limit = updated.timeLimitSeconds();
        return limit != null && limit <= most ? updated : updated.toBuilder().timeLimitSeconds(most).build();
    }
}
