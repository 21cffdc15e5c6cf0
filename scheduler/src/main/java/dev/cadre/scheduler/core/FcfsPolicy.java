package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * First come, first served: jobs start in priority order, and the first job that does not fit blocks every job
 * behind it (they wait with reason Priority), so no job is ever overtaken. Under partitions it blocks only its
 * partition: as slurmctld's schedule() adds the partition of a job that does not fit to its failed ones, no later job
 * of that partition starts nor any job on its nodes, and the jobs of other partitions go on starting elsewhere.
 */
public final class FcfsPolicy implements PlacementPolicy {
    @Override
    public Result place(Iterable<Candidate> queue, FreeResources free, List<Release> running, Instant now) {
        FreeResources left = free.copy();
        List<Placement> placements = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        Set<String> failed = new HashSet<>();
        PartitionFence fence = free.fence();
        for (Candidate c : queue) {
            if (!failed.isEmpty() && failed.containsAll(fence.partitionsOf(c.job().spec()))) {
                continue;
            }
            for (int copy = 0; copy < c.copies(); copy++) {
                Optional<Allocation> fit = ShapeMemo.mayFit(c.job().spec(), left)
                        ? ResourceFit.fit(c.job().spec(), left) : Optional.empty();
                if (fit.isEmpty() && !fence.fences()) {
                    return new Result(placements, Map.of(c.job().id(), "Resources"), "Priority");
                }
                if (fit.isEmpty()) {
                    reasons.put(c.job().id(), "Resources");
                    for (String p : fence.partitionsOf(c.job().spec())) {
                        if (failed.add(p) && !left.closePartition(fence, p)) {
                            return new Result(placements, reasons, "Priority");
                        }
                    }
                    break;
                }
                left.take(fit.get(), c.job().spec());
                placements.add(new Placement(c.job().id(), fit.get()));
            }
        }
        return new Result(placements, reasons, "Priority");
    }
}
