package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What advance reservations leave a job, as placement and plans see them: a job without {@code --reservation} never
 * gets a reserved node if it would run into the reservation's window there (its time limit from its start, as
 * slurmctld's job_test_resv judges it), and a job with one gets only that reservation's nodes, only while it is
 * active, and runs no longer than to its end (Slurm's default ResvOverRun=0). A reservation that recurs keeps its
 * nodes in every occurrence ({@link Recurrence}), so a job outside it is kept off them while its limit would reach any
 * of them, not only the next as slurmctld's job_test_resv judges (the same for a job starting now, not for a plan of
 * later starts). Pure: a pass and a forecast each take the one in force, and the occurrences in force at each start
 * they judge jobs from are worked out once ({@link #at}).
 */
public final class ReservedNodes {
    public static final ReservedNodes NONE = new ReservedNodes(List.of(), ZoneId.of("UTC"));
    /** How many occurrences of one reservation a plan looks at, at most. */
    private static final int MOST_OCCURRENCES = 200;

    private final List<AdvanceReservation> reservations;
    private final Map<String, AdvanceReservation> byName;
    private final ZoneId zone;
    /** Whether any of them recurs, so that a time may find another occurrence of it than the one stored. */
    private final boolean recurs;

    ReservedNodes(List<AdvanceReservation> reservations, ZoneId zone) {
        this.reservations = List.copyOf(reservations);
        this.byName = byName(this.reservations);
        this.zone = zone;
        this.recurs = this.reservations.stream().anyMatch(r -> r.recurrence() != null);
    }

    private static Map<String, AdvanceReservation> byName(List<AdvanceReservation> reservations) {
        return reservations.stream().collect(Collectors.toUnmodifiableMap(AdvanceReservation::name,
                Function.identity()));
    }

    public boolean isEmpty() {
        return reservations.isEmpty();
    }

    List<AdvanceReservation> all() {
        return reservations;
    }

    AdvanceReservation named(String name) {
        return byName.get(name);
    }

    /** The same, less the maintenance reservations: what a job would have were no node down for maintenance. */
    ReservedNodes withoutMaintenance() {
        return new ReservedNodes(reservations.stream().filter(r -> !r.maintenance()).toList(), zone);
    }

    /**
     * The reservations as a job started at {@code start} meets them, each that recurs at its occurrence not ended
     * by then: worked out once for all the jobs and nodes a pass, or one start a plan tries, judges from then.
     */
    At at(Instant start) {
        if (!recurs) {
            return new At(start, reservations, byName);
        }
        List<AdvanceReservation> occurrences = reservations.stream().map(r -> occurrence(r, start)).toList();
        return new At(start, occurrences, byName(occurrences));
    }

    /**
     * The reservations' occurrences in force for a job started at {@code start} ({@link #at}).
     *
     * @param occurrences each reservation at its occurrence not ended by {@code start}
     */
    record At(Instant start, List<AdvanceReservation> occurrences, Map<String, AdvanceReservation> byName) {
        /** Whether the job may not be given this host if it starts then. */
        boolean bars(JobSpec spec, String hostname) {
            AdvanceReservation own = spec.reservation() == null ? null : byName.get(spec.reservation());
            if (spec.reservation() != null && (own == null || !own.holds(hostname) || !own.activeAt(start))) {
                return true;
            }
            Instant end = end(spec, own, start);
            for (AdvanceReservation r : occurrences) {
                if (r.holds(hostname) && (own == null || !r.name().equals(own.name())) && r.overlaps(start, end)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The occurrence of a reservation not ended by this time. */
    private AdvanceReservation occurrence(AdvanceReservation r, Instant t) {
        return Recurrence.endingAfter(r, t, zone);
    }

    /** When a job started then gives its nodes back: its time limit's end, within its reservation's. */
    private static Instant end(JobSpec spec, AdvanceReservation own, Instant start) {
        Instant byLimit = start.plus(Release.limitOf(spec));
        return own != null && own.endTime().isBefore(byLimit) ? own.endTime() : byLimit;
    }

    /**
     * The spec a job in a reservation starts with when its time limit, none included, would run past the
     * reservation's end: the time left as its limit, as slurmctld ends such a job at the end; null when it needs
     * no change.
     */
    JobSpec limitedAtStart(JobSpec spec, Instant now) {
        AdvanceReservation own = spec.reservation() == null ? null : byName.get(spec.reservation());
        if (own == null) {
            return null;
        }
        own = occurrence(own, now);
        long left = Math.max(1, Duration.between(now, own.endTime()).toSeconds());
        return spec.timeLimitSeconds() == null || spec.timeLimitSeconds() > left
                ? spec.toBuilder().timeLimitSeconds(left).build() : null;
    }

    /**
     * The periods, from now, during which each reservation keeps its nodes from the jobs outside it, for a plan
     * over time: a plan holds them whole then ({@link ResourceProfile}). Each occurrence of one that recurs that
     * begins before {@code until} is one (at most a few hundred of one reservation).
     */
    List<AdvanceReservation> keptFromOthers(Instant now, Instant until) {
        List<AdvanceReservation> out = new ArrayList<>();
        for (AdvanceReservation r : reservations) {
            if (r.recurrence() != null) {
                out.addAll(Recurrence.between(r, now, until, zone, MOST_OCCURRENCES));
            } else if (r.endTime().isAfter(now)) {
                out.add(r);
            }
        }
        return out;
    }
}
