package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Chooses which pending jobs start now and where. Pure: the same inputs give the same result.
 */
public interface PlacementPolicy {

    /**
     * @param pending jobs waiting, in priority order; a live view, read only during the call, and a policy may
     *        stop reading once nothing behind can start (the queue can be long)
     * @param free free resources of each usable node, in placement preference order; a policy copies it
     *        before taking from it
     */
    Result place(Collection<JobRecord> pending, FreeResources free);

    /**
     * @param waitReasons Slurm's reason name (Resources, Priority, ...) for pending jobs the policy looked at and
     *        did not place
     * @param othersWait the reason of every pending job the policy did not look at; null if it looked at all
     */
    record Result(List<Placement> placements, Map<Long, String> waitReasons, String othersWait) {
    }
}
