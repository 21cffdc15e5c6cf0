package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.NodeRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What the services' reconciler needs to know of the nodes, by node id.
 *
 * @param drainedSince the drained nodes, with the time of their drain
 * @param lastHeard when each known node was last heard from: an instance on a silent node proves nothing from then
 *        on, and a NODE_FAIL's end, which comes a whole node timeout after that, says nothing of how long it ran
 */
public record NodeTimes(Map<String, Instant> drainedSince, Map<String, Instant> lastHeard) {
    /** No node known: instances are judged by their own times alone. */
    public static final NodeTimes NONE = new NodeTimes(Map.of(), Map.of());

    public static NodeTimes of(Collection<NodeRecord> nodes) {
        Map<String, Instant> drained = new HashMap<>();
        Map<String, Instant> heard = new HashMap<>();
        for (NodeRecord n : nodes) {
            if (n.drain() != null) {
                drained.put(n.id(), n.drain().since());
            }
            heard.put(n.id(), n.lastSeen());
        }
        return new NodeTimes(drained, heard);
    }

    /**
     * Until when the instance is known to have run on nodes that were heard from: the earliest of until and the
     * last word of each of its nodes, but not before its start (a node that ran it was heard from then).
     */
    Instant heardUntil(JobRecord j, Instant until) {
        Instant out = until;
        if (j.allocation() != null) {
            for (String node : j.allocation().nodeIds()) {
                Instant heard = lastHeard.get(node);
                if (heard != null && heard.isBefore(out)) {
                    out = heard;
                }
            }
        }
        return j.startTime() != null && out.isBefore(j.startTime()) ? j.startTime() : out;
    }
}
