package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each usable node has left, in placement preference order, beside what it has in all: an exclusive
 * job needs a node nobody uses, and a node an exclusive job holds takes no one else even if it re-registers
 * with more cores than the job was given.
 * <p>
 * It also counts, for each service, how many of its instances each node holds, so that a service's replicas
 * spread over the nodes (ResourceFit prefers the nodes holding fewest of them) and one node's loss does not take
 * them all. Only instances are counted and only instances look at the counts: other jobs cost nothing more.
 */
public final class FreeResources {
    private final Map<String, NodeCapacity> total = new LinkedHashMap<>();
    private final Map<String, NodeCapacity> free = new LinkedHashMap<>();
    private final Set<String> heldWhole = new HashSet<>();
    /** Instances of each service on each node, by service name then node id; only services with any placed. */
    private final Map<String, Map<String, Integer>> instances = new HashMap<>();
    /**
     * Free cores over all nodes, a node with fewer than none counting none: a job asking more cannot fit, which spares
     * looking at every node. A node has fewer than none while a resumed job shares its cores with jobs started on them
     * while it was suspended.
     */
    private long freeCores;
    /** The advance reservations a job is judged against here ({@link ResourceFit}), as of {@link #at}. */
    private ReservedNodes reserved = ReservedNodes.NONE;
    /** When a job placed from this view would start; null where no reservation is judged. */
    private Instant at;
    /** The reservations' occurrences for a job started {@link #at}; null with it. */
    private ReservedNodes.At reservedAt;
    /** The partitions a job is judged against here ({@link ResourceFit}). */
    private PartitionFence fence = PartitionFence.NONE;
    /** Hosts no job is given any more in this view: those of partitions a job did not fit in ({@link FcfsPolicy}). */
    private final Set<String> closedHosts = new HashSet<>();

    /** Every node idle: what the cluster could give if nothing ran. */
    public static FreeResources idle(Collection<NodeCapacity> nodes) {
        FreeResources r = new FreeResources();
        nodes.forEach(r::add);
        return r;
    }

    public void add(NodeCapacity node) {
        total.put(node.nodeId(), node);
        NodeCapacity before = free.put(node.nodeId(), node);
        freeCores += counted(node.cores()) - (before == null ? 0 : counted(before.cores()));
    }

    /** A node as a plan sees it over a period: what it has in all, and the least it has free throughout. */
    void addPlanned(NodeCapacity node, NodeCapacity leastFree) {
        total.put(node.nodeId(), node);
        free.put(node.nodeId(), leastFree);
        freeCores += counted(leastFree.cores());
    }

    public long freeCores() {
        return freeCores;
    }

    public FreeResources copy() {
        FreeResources c = new FreeResources();
        c.total.putAll(total);
        c.free.putAll(free);
        c.heldWhole.addAll(heldWhole);
        instances.forEach((service, byNode) -> c.instances.put(service, new HashMap<>(byNode)));
        c.freeCores = freeCores;
        c.reserved = reserved;
        c.at = at;
        c.reservedAt = reservedAt;
        c.fence = fence;
        c.closedHosts.addAll(closedHosts);
        return c;
    }

    /** Judges every job placed from here against these reservations, as starting at this time. */
    public FreeResources reservedBy(ReservedNodes reservations, Instant start) {
        reserved = reservations;
        startingAt(start);
        return this;
    }

    /** Gives every job placed from here only nodes of its partitions. */
    public FreeResources fencedBy(PartitionFence partitions) {
        fence = partitions;
        return this;
    }

    PartitionFence fence() {
        return fence;
    }

    /**
     * Gives no job the nodes of this partition any more; false when it is of every node, and so nothing is left to
     * give.
     */
    boolean closePartition(PartitionFence partitions, String name) {
        Set<String> hosts = partitions.hostsOf(name);
        if (hosts == null) {
            return false;
        }
        closedHosts.addAll(hosts);
        return true;
    }

    /** A plan looks at a later start: the reservations are judged from then. */
    void startingAt(Instant start) {
        at = start;
        reservedAt = start == null ? null : reserved.at(start);
    }

    ReservedNodes reserved() {
        return reserved;
    }

    Instant at() {
        return at;
    }

    /** Whether a reservation or the job's partitions keep the job off the node, started at this view's time. */
    boolean barred(JobSpec spec, NodeCapacity node) {
        return reservedAt != null && (spec.reservation() != null || !reserved.isEmpty())
                && reservedAt.bars(spec, node.hostname()) || fence.bars(spec, node.hostname())
                || !closedHosts.isEmpty() && closedHosts.contains(node.hostname());
    }

    /** Whether the other holds the same: each node's resources, in the same preference order, and the same holds. */
    boolean sameAs(FreeResources o) {
        return freeCores == o.freeCores && heldWhole.equals(o.heldWhole) && instances.equals(o.instances)
                && reserved.all().equals(o.reserved.all()) && fence == o.fence && closedHosts.equals(o.closedHosts)
                && total.equals(o.total) && List.copyOf(free.values()).equals(List.copyOf(o.free.values()));
    }

    /** Free resources of each node, in preference order. */
    public Collection<NodeCapacity> nodes() {
        return free.values();
    }

    public NodeCapacity free(String nodeId) {
        return free.get(nodeId);
    }

    public NodeCapacity total(String nodeId) {
        return total.get(nodeId);
    }

    public boolean heldWhole(String nodeId) {
        return heldWhole.contains(nodeId);
    }

    /** No job holds anything on the node. */
    public boolean idle(String nodeId) {
        NodeCapacity f = free.get(nodeId);
        NodeCapacity t = total.get(nodeId);
        return f != null && !heldWhole.contains(nodeId) && f.cores() == t.cores() && f.gpus() == t.gpus()
                && f.memoryMb() == t.memoryMb();
    }

    private static int counted(int cores) {
        return Math.max(0, cores);
    }

    /** Removes what an allocation holds; nodes that are not here (DOWN, unknown) are skipped. */
    public void take(Allocation allocation, boolean wholeNodes) {
        change(allocation, -1, true);
        if (wholeNodes) {
            allocation.nodes().forEach(s -> {
                if (free.containsKey(s.nodeId())) {
                    heldWhole.add(s.nodeId());
                }
            });
        }
    }

    /** Removes what a job's allocation holds, and counts it on its nodes when it is an instance of a service. */
    public void take(Allocation allocation, JobSpec spec) {
        take(allocation, spec.wholeNodes());
        if (spec.service() != null) {
            countInstance(spec.service(), allocation);
        }
    }

    /**
     * Removes what a suspended job keeps: its memory and GPUs, not its cores, and none of its nodes whole, as Slurm's
     * select/cons_tres job_suspend does for scontrol suspend (not gang scheduling). Other jobs may start on its cores;
     * its resume takes them back whoever holds them, and the node has fewer than none free until those end.
     */
    public void takeSuspended(Allocation allocation, JobSpec spec) {
        change(allocation, -1, false);
        if (spec.service() != null) {
            countInstance(spec.service(), allocation);
        }
    }

    /** Only the counts of services' instances per node: what a plan keeps to spread replicas as placements do. */
    FreeResources instanceCounts() {
        FreeResources c = new FreeResources();
        instances.forEach((service, byNode) -> c.instances.put(service, new HashMap<>(byNode)));
        return c;
    }

    /** Counts an instance of the service on the allocation's nodes, and nothing else. */
    void countInstance(String service, Allocation allocation) {
        Map<String, Integer> byNode = instances.computeIfAbsent(service, k -> new HashMap<>());
        allocation.nodes().forEach(s -> byNode.merge(s.nodeId(), 1, Integer::sum));
    }

    /** Takes the counts of the service's instances from another view, for a plan's view of one period. */
    void copyInstancesOf(String service, FreeResources from) {
        Map<String, Integer> held = from.instancesOf(service);
        if (!held.isEmpty()) {
            instances.put(service, held);
        }
    }

    /** How many instances of the service each node holds (absent: none), for spreading its replicas. */
    Map<String, Integer> instancesOf(String service) {
        return instances.getOrDefault(service, Map.of());
    }

    /** Gives back what {@link #take} removed: a job's expected end, when planning ahead. */
    public void give(Allocation allocation, boolean wholeNodes) {
        change(allocation, 1, true);
        if (wholeNodes) {
            allocation.nodes().forEach(s -> heldWhole.remove(s.nodeId()));
        }
    }

    private void change(Allocation allocation, int sign, boolean cores) {
        for (Allocation.NodeSlots s : allocation.nodes()) {
            NodeCapacity n = free.get(s.nodeId());
            if (n != null) {
                int left = cores ? n.cores() + sign * s.cpus() : n.cores();
                free.put(s.nodeId(), new NodeCapacity(n.nodeId(), n.hostname(), left,
                        n.memoryMb() + sign * s.memoryMb(), n.gpus() + sign * s.gpus(),
                        TypedGpus.change(n.gpuTypes(), s.gpuTypes(), sign)));
                freeCores += counted(left) - counted(n.cores());
            }
        }
    }
}
