package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What becomes of the pending jobs of a reservation that is gone (deleted, or ended and so deleted), as slurmctld's
 * _clear_job_resv does: each leaves the reservation and is held, priority 0 and reason ReservationDeleted, unless an
 * administrator holds it already; its user releases it (scontrol release) and it then runs outside any reservation.
 * Running jobs are left as they are: a reservation is not deleted while one runs in it, and one that ended cut their
 * limits to its end.
 */
final class GoneReservations {
    private GoneReservations() {
    }

    /** Holds every pending job naming a reservation the scheduler no longer has: the changes to store and announce. */
    static Decisions holdTheirJobs(JobTable jobs, AdvanceReservations reservations, Instant now) {
        Decisions d = new Decisions();
        Set<String> kept = reservations.list().stream().map(AdvanceReservation::name).collect(Collectors.toSet());
        List<JobRecord> orphaned = new ArrayList<>();
        for (JobRecord j : jobs.pending()) {
            String name = j.spec().reservation();
            if (name != null && !kept.contains(name)) {
                orphaned.add(j);
            }
        }
        for (JobRecord j : orphaned) {
            JobSpec.Builder spec = j.spec().toBuilder().reservation(null);
            boolean adminHeld = JobSpec.HOLD_ADMIN.equals(j.spec().hold());
            JobRecord held = j.withSpec(adminHeld ? spec.build() : spec.hold(JobSpec.HOLD_USER).build());
            if (!adminHeld) {
                held = held.withState(JobState.PENDING, AdvanceReservations.DELETED);
            }
            jobs.put(held);
            d.change(new JobChange(held, JobState.PENDING, now, null));
            d.respec(held);
        }
        return d;
    }
}
