package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Clock;

/**
 * The kill of a running attempt that a request orders (scancel, scontrol requeue, a time limit already passed): the
 * job shows COMPLETING, with the state it is to end as for its reason, until its node confirms the kill.
 */
final class KillOrders {
    private final Clock clock;
    private final JobTable jobs;
    private final JobEndings endings;

    KillOrders(Clock clock, JobTable jobs, JobEndings endings) {
        this.clock = clock;
        this.jobs = jobs;
        this.endings = endings;
    }

    /** Orders the kill of a running attempt; the job shows COMPLETING until the node confirms. */
    Decisions stop(JobRecord j, JobState endAs) {
        return stop(j, endAs, null);
    }

    /**
     * As above, for a cancel: who asked is stored with the kill's order, so that it outlasts a restart of the head
     * before the node confirms, and kept in memory ({@link CancellingKills}) for the CANCELLED that confirmation
     * brings, whose event names them too.
     */
    Decisions stop(JobRecord j, JobState endAs, String cancelledBy) {
        Decisions d = new Decisions();
        // A suspended job's suspension ends here: its nodes continue it (SIGCONT) after the kill's signal.
        JobRecord stopping = j.leavingSuspension(clock.instant()).withState(JobState.COMPLETING, endAs.name());
        jobs.put(stopping);
        d.change(new JobChange(stopping, j.state(), clock.instant(), null, cancelledBy));
        endings.cancelling.ordered(j.id(), cancelledBy);
        NodeMessages.kill(stopping, endAs).forEach(d::send);
        return d;
    }

    /** Stops a running job to queue it again, held by its user with hold. */
    Decisions requeue(JobRecord j, boolean hold) {
        Decisions d = new Decisions();
        JobRecord target = j;
        if (hold) {
            target = j.withSpec(j.spec().toBuilder().hold(JobSpec.HOLD_USER).build());
            jobs.put(target);
            d.respec(target);
        }
        d.addAll(stop(target, JobState.REQUEUED));
        return d;
    }
}
