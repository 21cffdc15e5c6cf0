package dev.cadre.scheduler.core;

import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The reserved start of the first job that does not fit: the earliest time at which, as running jobs reach
 * their time limits, it fits; and what will be free then, less what later jobs started early keep past it.
 */
final class Reservation {
    private static final Duration OCCURRENCES_AHEAD = Duration.ofDays(8);
    private final JobSpec spec;
    private final Instant start;
    private final FreeResources atStart;

    private Reservation(JobSpec spec, Instant start, FreeResources atStart) {
        this.spec = spec;
        this.start = start;
        this.atStart = atStart;
    }

    /**
     * Empty when the job would not fit even with every running job gone (a host it names is down). The times tried
     * are those at which running jobs end and at which advance reservations begin or end, as either can make room;
     * of one that recurs, its occurrences up to a week and a day past the last running job's end (every pattern
     * leaves a gap within a week).
     */
    static Optional<Reservation> plan(JobSpec spec, FreeResources left, List<Release> ends, Instant now) {
        List<Release> sorted = new ArrayList<>(ends);
        sorted.sort(Comparator.comparing(Release::at));
        TreeSet<Instant> moments = new TreeSet<>();
        sorted.forEach(r -> moments.add(r.at().isBefore(now) ? now : r.at()));
        Instant lastEnd = sorted.isEmpty() || sorted.get(sorted.size() - 1).at().isBefore(now) ? now
                : sorted.get(sorted.size() - 1).at();
        for (AdvanceReservation r : left.reserved().keptFromOthers(now, lastEnd.plus(OCCURRENCES_AHEAD))) {
            moments.add(r.startTime().isBefore(now) ? now : r.startTime());
            moments.add(r.endTime());
        }
        FreeResources avail = left.copy();
        int given = 0;
        for (Instant at : moments) {
            for (; given < sorted.size() && !sorted.get(given).at().isAfter(at); given++) {
                avail.give(sorted.get(given).allocation(), sorted.get(given).wholeNodes());
            }
            avail.startingAt(at);
            if (ShapeMemo.mayFit(spec, avail) && ResourceFit.fit(spec, avail).isPresent()) {
                return Optional.of(new Reservation(spec, at, avail));
            }
        }
        return Optional.empty();
    }

    Instant start() {
        return start;
    }

    /**
     * Whether a job that would still hold this allocation at the reserved start leaves the reserved job room;
     * if so, the allocation is counted as taken at that time.
     */
    boolean allows(Allocation allocation, JobSpec other) {
        // Take, judge, and give back if refused: cheaper than copying every node's figures per candidate.
        atStart.take(allocation, other.wholeNodes());
        if (ShapeMemo.mayFit(spec, atStart) && ResourceFit.fit(spec, atStart).isPresent()) {
            return true;
        }
        atStart.give(allocation, other.wholeNodes());
        return false;
    }
}
