package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.db.NodeStore;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.JobMail;
import dev.cadre.scheduler.core.SchedulerCore;
import java.util.List;

/**
 * What a starting head reads back from SQLite into its core, before any intake or pass runs: the advance
 * reservations, the unfinished jobs and the nodes ({@link SchedulerCore#recover}, with the messages a restarted head
 * sends again), the time-limit shares mailed to the unfinished jobs, and the events stored but perhaps never
 * published.
 */
final class StartupRecovery {
    private StartupRecovery() {
    }

    /** Under the core's lock, as the service's first decision. */
    static Decisions recover(SchedulerCore core, JobStore jobs, NodeStore nodes, ReservationBook reservations,
            PartitionBook partitions) {
        reservations.recover();
        partitions.recover();
        Decisions d = core.recover(jobs.unfinished(), nodes.list(), jobs.history().highestId());
        // A head stopped between a reservation's delete and its jobs' holds holds them now (its flags are gone).
        d.addAll(core.holdJobsOfGoneReservations(List.of()));
        core.recoverTimeLimitMail(jobs.timeLimitMailed().stream()
                .map(m -> new JobMail.SharesMailed(m.jobId(), m.attempt(), m.shares())).toList());
        // Events saved before a crash but perhaps never published; subscribers get them (again).
        jobs.outbox().unpublishedEvents().forEach(d::republish);
        return d;
    }
}
