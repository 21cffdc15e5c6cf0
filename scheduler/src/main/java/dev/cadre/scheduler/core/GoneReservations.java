package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What becomes of the pending jobs of a reservation that is gone (deleted, or ended and so deleted), as slurmctld's
 * _clear_job_resv does: each leaves the reservation and is held, priority 0 and reason "Reservation NAME was deleted"
 * (its state_desc; WAIT_RESV_DELETED), unless an administrator holds it already; its user releases it (scontrol
 * release) and it then runs outside any reservation. A reservation with NO_HOLD_JOBS_AFTER_END lets its jobs go
 * unheld instead, to run outside it. Running jobs are left as they are: a reservation is not deleted while one runs
 * in it, and one that ended cut their limits to its end.
 */
final class GoneReservations {
    private GoneReservations() {
    }

    /**
     * Takes every pending job naming a reservation the scheduler no longer has out of it, holding it unless its
     * reservation had NO_HOLD_JOBS_AFTER_END: the changes to store and announce.
     *
     * @param gone the reservations just deleted or ended, whose flags say whether their jobs are held; a job of one
     *        not among them (deleted before a restart of the head) is held, as most are
     */
    static Decisions holdTheirJobs(JobTable jobs, AdvanceReservations reservations,
            Collection<AdvanceReservation> gone, Instant now) {
        Decisions d = new Decisions();
        Set<String> kept = reservations.list().stream().map(AdvanceReservation::name).collect(Collectors.toSet());
        Set<String> unheld = gone.stream().filter(r -> r.has(AdvanceReservation.NO_HOLD_JOBS_AFTER_END))
                .map(AdvanceReservation::name).collect(Collectors.toSet());
        List<JobRecord> orphaned = new ArrayList<>();
        for (JobRecord j : jobs.pending()) {
            String name = j.spec().reservation();
            if (name != null && !kept.contains(name)) {
                orphaned.add(j);
            }
        }
        for (JobRecord j : orphaned) {
            String name = j.spec().reservation();
            JobSpec.Builder spec = j.spec().toBuilder().reservation(null);
            boolean held = !JobSpec.HOLD_ADMIN.equals(j.spec().hold()) && !unheld.contains(name);
            JobRecord left = j.withSpec(held ? spec.hold(JobSpec.HOLD_USER).build() : spec.build());
            if (held) {
                left = left.withState(JobState.PENDING, AdvanceReservations.deletedReason(name));
            } else if (j.spec().hold() == null) {
                // The next pass says why it waits now that it may run anywhere.
                left = left.withState(JobState.PENDING, "None");
            }
            jobs.put(left);
            d.change(new JobChange(left, JobState.PENDING, now, null));
            d.respec(left);
        }
        return d;
    }
}
