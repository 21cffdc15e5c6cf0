package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What advance reservations leave a job, as placement and plans see them: a job without {@code --reservation} never
 * gets a reserved node if it would run into the reservation's window there (its time limit from its start, as
 * slurmctld's job_test_resv judges it), and a job with one gets only that reservation's nodes, only while it is
 * active, and runs no longer than to its end (Slurm's default ResvOverRun=0). Pure and immutable: a pass and a
 * forecast each take the one in force.
 */
public final class ReservedNodes {
    public static final ReservedNodes NONE = new ReservedNodes(List.of());

    private final List<AdvanceReservation> reservations;
    private final Map<String, AdvanceReservation> byName;

    ReservedNodes(List<AdvanceReservation> reservations) {
        this.reservations = List.copyOf(reservations);
        this.byName = this.reservations.stream().collect(Collectors.toMap(AdvanceReservation::name,
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
        return new ReservedNodes(reservations.stream().filter(r -> !r.maintenance()).toList());
    }

    /** Whether the job may not be given this host if it starts at {@code start}. */
    boolean bars(JobSpec spec, String hostname, Instant start) {
        AdvanceReservation own = spec.reservation() == null ? null : byName.get(spec.reservation());
        if (spec.reservation() != null && (own == null || !own.holds(hostname) || !own.activeAt(start))) {
            return true;
        }
        Instant end = end(spec, own, start);
        for (AdvanceReservation r : reservations) {
            if (r != own && r.holds(hostname) && r.overlaps(start, end)) {
                return true;
            }
        }
        return false;
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
        long left = Math.max(1, Duration.between(now, own.endTime()).toSeconds());
        return spec.timeLimitSeconds() == null || spec.timeLimitSeconds() > left
                ? spec.toBuilder().timeLimitSeconds(left).build() : null;
    }

    /**
     * The periods, from now, during which each reservation keeps its nodes from the jobs outside it, for a plan
     * over time: a plan holds them whole then ({@link ResourceProfile}).
     */
    List<AdvanceReservation> keptFromOthers(Instant now) {
        return reservations.stream().filter(r -> r.endTime().isAfter(now)).toList();
    }
}
