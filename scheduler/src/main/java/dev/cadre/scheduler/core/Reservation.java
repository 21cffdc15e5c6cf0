package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The reserved start of the first job that does not fit: the earliest time at which, as running jobs reach
 * their time limits, it fits; and what will be free then, less what later jobs started early keep past it.
 */
final class Reservation {
    private final JobSpec spec;
    private final Instant start;
    private final FreeResources atStart;

    private Reservation(JobSpec spec, Instant start, FreeResources atStart) {
        this.spec = spec;
        this.start = start;
        this.atStart = atStart;
    }

    /** Empty when the job would not fit even with every running job gone (a host it names is down). */
    static Optional<Reservation> plan(JobSpec spec, FreeResources left, List<Release> ends, Instant now) {
        List<Release> sorted = new ArrayList<>(ends);
        sorted.sort(Comparator.comparing(Release::at));
        FreeResources avail = left.copy();
        for (int i = 0; i < sorted.size(); i++) {
            Release r = sorted.get(i);
            avail.give(r.allocation(), r.wholeNodes());
            boolean lastAtThisTime = i + 1 == sorted.size() || sorted.get(i + 1).at().isAfter(r.at());
            if (lastAtThisTime && ShapeMemo.mayFit(spec, avail) && ResourceFit.fit(spec, avail).isPresent()) {
                Instant at = r.at().isBefore(now) ? now : r.at();
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
