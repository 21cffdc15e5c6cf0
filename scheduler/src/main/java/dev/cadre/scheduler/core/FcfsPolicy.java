package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * First come, first served: jobs start in priority order, and the first job that does not fit blocks
 * every job behind it (they wait with reason Priority), so no job is ever overtaken.
 */
public final class FcfsPolicy implements PlacementPolicy {
    @Override
    public Result place(List<JobRecord> pending, Map<String, NodeCapacity> free) {
        Map<String, NodeCapacity> left = new LinkedHashMap<>(free);
        List<Placement> placements = new ArrayList<>();
        Map<Long, String> reasons = new HashMap<>();
        boolean blocked = false;
        for (JobRecord job : pending) {
            if (blocked) {
                reasons.put(job.id(), "Priority");
                continue;
            }
            Optional<Allocation> fit = ResourceFit.fit(job.spec(), left);
            if (fit.isPresent()) {
                ResourceFit.take(left, fit.get());
                placements.add(new Placement(job.id(), fit.get()));
            } else {
                reasons.put(job.id(), "Resources");
                blocked = true;
            }
        }
        return new Result(placements, reasons);
    }
}
