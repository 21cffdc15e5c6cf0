package dev.cadre.scheduler;

import dev.cadre.db.ReservationStore;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.scheduler.core.AdvanceReservations;
import dev.cadre.scheduler.core.Decisions;
import dev.cadre.scheduler.core.SchedulerCore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell around {@link AdvanceReservations}: a request's outcome is stored in SQLite before the core takes it, so
 * that a refusal by SQLite changes nothing; a reservation that has ended is deleted from SQLite, then forgotten, as
 * slurmctld deletes one that does not recur, and one that recurs is stored with its next occurrence's times, then
 * taken, as slurmctld's _advance_resv_time moves it on; the jobs still waiting in one deleted or ended for good are
 * held, as slurmctld's _clear_job_resv holds them ({@link SchedulerCore#holdJobsOfGoneReservations}). Called under
 * the core's lock only.
 */
final class ReservationBook {
    private static final Logger LOG = LoggerFactory.getLogger(ReservationBook.class);
    private final ReservationStore store;
    private final SchedulerCore core;
    private final Clock clock;

    ReservationBook(ReservationStore store, SchedulerCore core, Clock clock) {
        this.store = store;
        this.core = core;
        this.clock = clock;
    }

    /** The stored reservations, into the core as the head starts. */
    void recover() {
        core.reservations().recover(store.list());
    }

    /** @param d takes the holds of the jobs still waiting in a reservation deleted, to store after the delete */
    ClientReply.ReservationResult carryOut(ReservationRequest request, Decisions d) {
        AdvanceReservations.Outcome o = core.judge(request);
        List<AdvanceReservation> deleted = core.reservations().list().stream()
                .filter(r -> r.name().equals(o.deleted())).toList();
        if (o.stored() != null) {
            store.upsert(o.stored());
        }
        if (o.deleted() != null) {
            store.delete(o.deleted());
        }
        core.reservations().apply(o);
        if (o.deleted() != null) {
            d.addAll(core.holdJobsOfGoneReservations(deleted));
        }
        if (o.reply().ok()) {
            LOG.info("{} reservation {} at the request of {}: {}", verb(request), request.name(), request.user(),
                    o.stored() == null ? "" : o.stored());
        }
        return o.reply();
    }

    /**
     * Deletes the reservations that have ended, and moves those that recur on to their next occurrence: the holds of
     * the jobs still waiting in deleted ones, to store after.
     */
    Decisions expire() {
        List<AdvanceReservation> ended = core.reservations().ended(clock.instant());
        for (AdvanceReservation r : ended) {
            store.delete(r.name());
            core.reservations().forget(r.name());
            LOG.info("reservation {} ended at {} and is deleted", r.name(), r.endTime());
        }
        for (AdvanceReservation next : core.reservations().renewed(clock.instant())) {
            store.upsert(next);
            core.reservations().renew(next);
            LOG.info("reservation {} ({}) moves on to its next occurrence, {} to {}", next.name(),
                    next.recurrence(), next.startTime(), next.endTime());
        }
        return ended.isEmpty() ? new Decisions() : core.holdJobsOfGoneReservations(ended);
    }

    private static String verb(ReservationRequest request) {
        return request instanceof ReservationRequest.CreateReservation ? "created"
                : request instanceof ReservationRequest.UpdateReservation ? "updated" : "deleted";
    }
}
