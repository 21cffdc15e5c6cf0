package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * First come, first served: jobs start in priority order, and the first job that does not fit blocks every job
 * behind it (they wait with reason Priority), so no job is ever overtaken.
 */
public final class FcfsPolicy implements PlacementPolicy {
    @Override
    public Result place(Iterable<Candidate> queue, FreeResources free, List<Release> running, Instant now) {
        FreeResources left = free.copy();
        List<Placement> placements = new ArrayList<>();
        for (Candidate c : queue) {
            for (int copy = 0; copy < c.copies(); copy++) {
                Optional<Allocation> fit = ShapeMemo.mayFit(c.job().spec(), left)
                        ? ResourceFit.fit(c.job().spec(), left) : Optional.empty();
                if (fit.isEmpty()) {
                    return new Result(placements, Map.of(c.job().id(), "Resources"), "Priority");
                }
                left.take(fit.get(), c.job().spec());
                placements.add(new Placement(c.job().id(), fit.get()));
            }
        }
        return new Result(placements, Map.of(), "Priority");
    }
}
