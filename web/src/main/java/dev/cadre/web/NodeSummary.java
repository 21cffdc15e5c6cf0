package dev.cadre.web;

import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.NodeUsage;
import java.time.Instant;
import java.util.List;

/**
 * A node as the REST API lists it: what the node reported, and what the jobs holding it were given there.
 *
 * @param allocated cores, GPUs and memory of the RUNNING and COMPLETING jobs on the node, and their ids
 * @param drain why, by whom and since when an administrator drained the node; null when it takes jobs
 */
public record NodeSummary(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
        NodeRecord.NodeState state, Instant lastSeen, String reason, NodeUsage allocated, NodeRecord.Drain drain) {

    public static NodeSummary of(NodeRecord n, NodeUsage allocated) {
        return new NodeSummary(n.id(), n.hostname(), n.addresses(), n.cores(), n.memoryMb(), n.gpus(), n.state(),
                n.lastSeen(), n.reason(), allocated, n.drain());
    }
}
