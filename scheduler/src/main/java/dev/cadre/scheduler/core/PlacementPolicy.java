package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.util.List;
import java.util.Map;

/**
 * Chooses which pending jobs start now and where. Pure: the same inputs give the same result.
 */
public interface PlacementPolicy {

    /**
     * @param pending jobs waiting, in priority order
     * @param free free resources of each usable node, by node id, in placement preference order
     */
    Result place(List<JobRecord> pending, Map<String, NodeCapacity> free);

    /**
     * @param waitReasons for every pending job not placed: Slurm's reason name (Resources, Priority, ...)
     */
    record Result(List<Placement> placements, Map<Long, String> waitReasons) {
    }
}
