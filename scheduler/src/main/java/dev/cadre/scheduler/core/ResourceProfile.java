package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Free resources over time, as a step function: from each breakpoint until the next, what the nodes will have
 * free given the running jobs' time limits and the reservations made so far.
 */
final class ResourceProfile {
    record Slot(Instant start, Instant end, Allocation allocation) {
    }

    private final TreeMap<Instant, FreeResources> steps = new TreeMap<>();

    ResourceProfile(FreeResources free, List<Release> running, Instant now) {
        List<Release> sorted = new ArrayList<>(running);
        sorted.sort(Comparator.comparing(Release::at));
        FreeResources current = free.copy();
        steps.put(now, current.copy());
        for (Release r : sorted) {
            current.give(r.allocation(), r.wholeNodes());
            // A job past its limit (or being killed) ends any moment now, but its resources are not free yet.
            steps.put(r.at().isAfter(now) ? r.at() : now.plusMillis(1), current.copy());
        }
    }

    /** The earliest start at a breakpoint where the job fits from then for its whole duration. */
    Optional<Slot> earliest(JobSpec spec, Duration duration) {
        for (Instant start : steps.keySet()) {
            Instant end = start.plus(duration);
            FreeResources window = null;
            for (FreeResources step : steps.subMap(steps.floorKey(start), true, end, false).values()) {
                window = window == null ? step.copy() : window.lowest(step);
                if (!ShapeMemo.mayFit(spec, window)) {
                    break;
                }
            }
            if (window != null && ShapeMemo.mayFit(spec, window)) {
                Optional<Allocation> fit = ResourceFit.fit(spec, window);
                if (fit.isPresent()) {
                    return Optional.of(new Slot(start, end, fit.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** Takes the slot's allocation from every step it spans, adding breakpoints at its start and end. */
    void reserve(Slot slot, JobSpec spec) {
        split(slot.start());
        split(slot.end());
        for (Map.Entry<Instant, FreeResources> e : steps.subMap(slot.start(), true, slot.end(), false).entrySet()) {
            e.getValue().take(slot.allocation(), spec.wholeNodes());
        }
    }

    private void split(Instant at) {
        Map.Entry<Instant, FreeResources> before = steps.floorEntry(at);
        if (before != null && !before.getKey().equals(at)) {
            steps.put(at, before.getValue().copy());
        }
    }
}
