package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * First come, first served: jobs start in priority order, and the first job that does not fit blocks
 * every job behind it (they wait with reason Priority), so no job is ever overtaken.
 */
public final class FcfsPolicy implements PlacementPolicy {
    @Override
    public Result place(Collection<JobRecord> pending, FreeResources free) {
        FreeResources left = free.copy();
        List<Placement> placements = new ArrayList<>();
        for (JobRecord job : pending) {
            Optional<Allocation> fit = ResourceFit.fit(job.spec(), left);
            if (fit.isEmpty()) {
                // Everything behind the blocked head waits for it; no need to look at the rest of the queue.
                return new Result(placements, Map.of(job.id(), "Resources"), "Priority");
            }
            left.take(fit.get(), job.spec().wholeNodes());
            placements.add(new Placement(job.id(), fit.get()));
        }
        return new Result(placements, Map.of(), null);
    }
}
