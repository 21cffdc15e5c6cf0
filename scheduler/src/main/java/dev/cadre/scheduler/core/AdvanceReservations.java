package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.ClientReply.ReservationResult;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.ReservationRefusal;
import dev.cadre.protocol.ReservationRequest;
import dev.cadre.protocol.ReservationValidator;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The advance reservations the scheduler keeps (scontrol create, update and delete reservation), judged as
 * slurmctld's reservation.c judges them ({@link ReservationChecks}), and what they mean for jobs: a submission naming
 * one it does not know or that does not admit its user is refused, a job waits for its own to begin ("Reservation"),
 * and placement keeps jobs off reserved nodes ({@link #nodes}). Pure: the shell stores each outcome's change before
 * it {@link #apply applies} it, forgets the reservations that have ended ({@link #ended}) and moves those that
 * recur on to their next occurrence ({@link #renewed}), in the head's time zone.
 */
public final class AdvanceReservations {
    /** A job whose reservation is gone (deleted or ended) waits with this, as Slurm's WAIT_RESV_DELETED. */
    static final String DELETED = "ReservationDeleted";
    private static final String GONE_PREFIX = "Reservation ";
    private static final String GONE_SUFFIX = " was deleted";
    /** A job waiting for its reservation to begin (WAIT_RESERVATION). */
    static final String WAITING = "Reservation";
    /** A job kept off nodes down for maintenance. */
    static final String MAINTENANCE = "ReqNodeNotAvail, Reserved for maintenance";

    private final Map<String, AdvanceReservation> byName = new LinkedHashMap<>();
    private final ZoneId zone;
    private ReservedNodes view = ReservedNodes.NONE;

    /** @param zone where the local times of recurring reservations are kept, as slurmctld's localtime_r */
    public AdvanceReservations(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * What a request comes to: the answer, and the reservation to store (for a create or update) or the name to
     * delete; both null when nothing changes.
     */
    public record Outcome(ReservationResult reply, AdvanceReservation stored, String deleted) {
        static Outcome refused(String name, ReservationRefusal code, String reason) {
            return new Outcome(ReservationResult.refused(name, code, reason), null, null);
        }
    }

    /** The reservations stored, as a head starts. */
    public void recover(Collection<AdvanceReservation> stored) {
        stored.forEach(r -> byName.put(r.name(), r));
        view = null;
    }

    public List<AdvanceReservation> list() {
        return List.copyOf(byName.values());
    }

    /** The reservations as placement and plans judge jobs against them. */
    public ReservedNodes nodes() {
        if (view == null) {
            view = new ReservedNodes(byName.values().stream()
                    .sorted(Comparator.comparing(AdvanceReservation::startTime)).toList(), zone);
        }
        return view;
    }

    /**
     * Judges a request; nothing changes here until the shell has stored the outcome and calls {@link #apply}.
     *
     * @param nodes every known node, in the head's order
     * @param active the jobs holding nodes, whose ends a new window must not cut into (unless IGNORE_JOBS)
     * @param pending the jobs waiting, of which those in a reservation must keep their access to it
     */
    public Outcome judge(ReservationRequest request, List<NodeRecord> nodes, Collection<JobRecord> active,
            Collection<JobRecord> pending, Instant now) {
        String name = request.name();
        if (!request.operator()) {
            return Outcome.refused(name, ReservationRefusal.ACCESS_DENIED, "only an operator (root, or the owner of"
                    + " the client file) may create, update or delete a reservation");
        }
        List<JobSpecValidator.Problem> problems = ReservationValidator.validate(request);
        if (!problems.isEmpty()) {
            JobSpecValidator.Problem first = problems.get(0);
            return new Outcome(ReservationResult.invalid(name, first.field(), String.join("; ",
                    problems.stream().map(Object::toString).toList())), null, null);
        }
        ReservationChecks checks = new ReservationChecks(byName.values(), nodes, active, now, zone);
        if (request instanceof ReservationRequest.CreateReservation c) {
            return checks.create(c, byName.get(name));
        }
        AdvanceReservation old = byName.get(name);
        if (old == null) {
            return Outcome.refused(name, ReservationRefusal.NOT_FOUND, "reservation " + name + " does not exist");
        }
        if (request instanceof ReservationRequest.UpdateReservation u) {
            List<JobRecord> inReservations = new ArrayList<>();
            for (Collection<JobRecord> jobs : List.of(active, pending)) {
                jobs.stream().filter(j -> name.equals(j.spec().reservation())).forEach(inReservations::add);
            }
            return checks.update(u, old, inReservations);
        }
        long running = active.stream().filter(j -> name.equals(j.spec().reservation())).count();
        if (running > 0) {
            return Outcome.refused(name, ReservationRefusal.IN_USE, running + (running == 1 ? " job runs" : " jobs run")
                    + " in reservation " + name);
        }
        return new Outcome(ReservationResult.done(name, null), null, name);
    }

    /** Takes a stored outcome's change into memory. */
    public void apply(Outcome o) {
        if (o.stored() != null) {
            byName.put(o.stored().name(), o.stored());
            view = null;
        }
        if (o.deleted() != null) {
            byName.remove(o.deleted());
            view = null;
        }
    }

    /** The reservations that have ended by now, which the shell deletes: Slurm keeps none that does not recur. */
    public List<AdvanceReservation> ended(Instant now) {
        List<AdvanceReservation> out = new ArrayList<>();
        for (AdvanceReservation r : byName.values()) {
            if (r.endedBy(now) && r.recurrence() == null) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The reservations that recur and whose occurrence has ended by now, each moved on to its first occurrence that
     * has not (one step, or more for a head that was down), which the shell stores and then {@link #renew renews}.
     */
    public List<AdvanceReservation> renewed(Instant now) {
        List<AdvanceReservation> out = new ArrayList<>();
        for (AdvanceReservation r : byName.values()) {
            if (r.endedBy(now) && r.recurrence() != null) {
                out.add(Recurrence.endingAfter(r, now, zone));
            }
        }
        return out;
    }

    /** Takes a recurring reservation's next occurrence, stored by the shell. */
    public void renew(AdvanceReservation next) {
        byName.put(next.name(), next);
        view = null;
    }

    /** Forgets a reservation the shell deleted once it ended. */
    public void forget(String name) {
        if (byName.remove(name) != null) {
            view = null;
        }
    }

    /** Why a submission naming a reservation is refused, as slurmctld refuses it; empty when it may be stored. */
    Optional<Refusal> refusal(JobSpec spec) {
        if (spec.reservation() == null) {
            return Optional.empty();
        }
        AdvanceReservation r = byName.get(spec.reservation());
        if (r == null) {
            return Optional.of(new Refusal(RejectionCode.INVALID_RESERVATION, new JobSpecValidator.Problem(
                    "spec.reservation", "no reservation is named " + spec.reservation())));
        }
        if (!r.admits(spec.user())) {
            return Optional.of(new Refusal(RejectionCode.RESERVATION_ACCESS, new JobSpecValidator.Problem(
                    "spec.reservation", "reservation " + r.name() + " does not admit user " + spec.user())));
        }
        return Optional.empty();
    }

    /**
     * The reason of a job held because its reservation went: slurmctld's state_desc for WAIT_RESV_DELETED, which
     * squeue's %r and %R print in place of the reason's name.
     */
    static String deletedReason(String name) {
        return GONE_PREFIX + name + GONE_SUFFIX;
    }

    /** Whether a job's reason says its reservation went ({@link #deletedReason}, or the name older heads stored). */
    static boolean saysDeleted(String reason) {
        return reason != null && (reason.equals(DELETED)
                || reason.startsWith(GONE_PREFIX) && reason.endsWith(GONE_SUFFIX));
    }

    /** When the reservation's occurrence not ended by now ends, or null for a name it has not. */
    Instant endOf(String name, Instant now) {
        AdvanceReservation r = byName.get(name);
        return r == null ? null : Recurrence.endingAfter(r, now, zone).endTime();
    }

    /** Why a pending job in a reservation may not start now, or null when its reservation is active. */
    String waitReason(JobSpec spec, Instant now) {
        AdvanceReservation r = byName.get(spec.reservation());
        if (r == null) {
            return DELETED;
        }
        return Recurrence.activeAt(r, now, zone) != null ? null : WAITING;
    }

    /**
     * Whether the jobs left waiting by a pass would fit were no node reserved for maintenance: the view without those
     * reservations is copied once for the pass, when first asked, and not at all when none is for maintenance.
     */
    static final class WithoutMaintenance {
        private final FreeResources free;
        private final boolean any;
        private FreeResources without;

        /** @param free what the pass left, judged against every reservation */
        WithoutMaintenance(FreeResources free) {
            this.free = free;
            this.any = free.reserved().all().stream().anyMatch(AdvanceReservation::maintenance);
        }

        /** Whether the job, which does not fit, would fit were no node reserved for maintenance. */
        boolean keptOnlyByMaintenance(JobSpec spec) {
            if (!any) {
                return false;
            }
            if (without == null) {
                without = free.copy();
                without.reservedBy(free.reserved().withoutMaintenance(), free.at());
            }
            return ResourceFit.fit(spec, without).isPresent();
        }
    }

    /** Whether a job in this state holds nodes a reservation's start must wait for. */
    static boolean holdsNodes(JobRecord j) {
        return j.state() == JobState.RUNNING || j.state() == JobState.COMPLETING
                || j.state() == JobState.SUSPENDED;
    }
}
