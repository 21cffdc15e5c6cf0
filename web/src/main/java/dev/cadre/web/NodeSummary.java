package dev.cadre.web;

import dev.cadre.db.KillHolds;
import dev.cadre.protocol.NodeRecord;
import dev.cadre.protocol.NodeUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node as the REST API lists it: what the node reported, and what the jobs holding it were given there.
 *
 * @param allocated cores, GPUs and memory of the RUNNING and COMPLETING jobs on the node, and of the attempts whose
 *        kill it has not confirmed yet (held), GPUs and memory of the SUSPENDED ones (their cores go to other jobs
 *        meanwhile, {@link NodeUsage#byNode}), and the ids of all those jobs; each core counted once
 * @param held attempts that ended for the head while the node may still be killing them: their slots stay taken
 *        until it confirms the kill, and a job waiting for them waits for that (a stale attempt of a node back from
 *        a partition, the other nodes of a multi-node job that ended)
 * @param drain why, by whom and since when an administrator drained the node; null when it takes jobs
 * @param gpuTypes the indexes of its GPUs of each type, as it said them; null when they have none
 */
public record NodeSummary(String id, String hostname, List<String> addresses, int cores, long memoryMb, int gpus,
        NodeRecord.NodeState state, Instant lastSeen, String reason, Allocated allocated, List<Held> held,
        NodeRecord.Drain drain, Map<String, List<Integer>> gpuTypes) {

    /**
     * What the jobs on a node hold there, as a usage bar draws it and sinfo counts it.
     *
     * @param cores the allocated cores, each counted once: at most the node's (Slurm's CPUAlloc)
     * @param oversubscribedCores the jobs' cores beyond the node's: 0 unless a job resumed after a suspend shares its
     *        cores with jobs started on them meanwhile (or the node came back with fewer cores than its jobs hold);
     *        {@code cores + oversubscribedCores} is what the jobs were given
     */
    public record Allocated(int cores, int oversubscribedCores, int gpus, long memoryMb, List<Long> jobIds) {
        static Allocated on(int nodeCores, NodeUsage u) {
            return new Allocated(u.coresOn(nodeCores), u.oversubscribedCores(nodeCores), u.gpus(), u.memoryMb(),
                    u.jobIds());
        }
    }

    /** One attempt's slots held on the node for its kill, since the head began to hold them. */
    public record Held(long jobId, int attempt, int cores, int gpus, long memoryMb, Instant since) {
    }

    public static NodeSummary of(NodeRecord n, NodeUsage allocated, List<KillHolds.Hold> holds) {
        return new NodeSummary(n.id(), n.hostname(), n.addresses(), n.cores(), n.memoryMb(), n.gpus(), n.state(),
                n.lastSeen(), n.reason(), Allocated.on(n.cores(), allocated), holds.stream().map(k -> new Held(
                        k.jobId(), k.attempt(), k.cores(), k.gpus(), k.memoryMb(), k.since())).toList(), n.drain(),
                n.gpuTypes());
    }

    /**
     * Each node's usage with its held slots added: they are no more free than a running job's. The ids stay in
     * increasing order, each once, as {@link NodeUsage#byNode} gives them.
     */
    static Map<String, NodeUsage> withHolds(Map<String, NodeUsage> usage, Map<String, List<KillHolds.Hold>> holds) {
        Map<String, NodeUsage> out = new HashMap<>(usage);
        holds.forEach((node, list) -> {
            NodeUsage u = out.getOrDefault(node, NodeUsage.NONE);
            List<Long> ids = new ArrayList<>(u.jobIds());
            int cores = u.cores();
            int gpus = u.gpus();
            long memory = u.memoryMb();
            for (KillHolds.Hold k : list) {
                cores += k.cores();
                gpus += k.gpus();
                memory += k.memoryMb();
                if (!ids.contains(k.jobId())) {
                    ids.add(k.jobId());
                }
            }
            ids.sort(null);
            out.put(node, new NodeUsage(cores, gpus, memory, ids));
        });
        return out;
    }
}
