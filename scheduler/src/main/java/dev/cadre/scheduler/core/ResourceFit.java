package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Where a job's tasks go, given what nodes have free. Pure. Nodes named in -x, nodes an exclusive job holds,
 * for an exclusive job nodes anyone uses, and nodes an advance reservation keeps from the job
 * ({@link ReservedNodes}) are never candidates; every -w host is in the allocation.
 */
public final class ResourceFit {
    private ResourceFit() {
    }

    /** Slurm's block layout over a fixed node count: even, one more on each of the first nodes for the rest. */
    static int[] evenShares(int tasks, int nodes) {
        int[] out = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            out[i] = tasks / nodes + (i < tasks % nodes ? 1 : 0);
        }
        return out;
    }

    /** An allocation in preference order (the coordinator first); empty when the job does not fit now. */
    public static Optional<Allocation> fit(JobSpec spec, FreeResources free) {
        // A job naming several partitions runs in one of them: the first, in its order, that holds it.
        for (JobSpec inOne : free.fence().each(spec)) {
            Optional<Allocation> fit = fit(inOne, free);
            if (fit.isPresent()) {
                return fit;
            }
        }
        if (!free.fence().each(spec).isEmpty()) {
            return Optional.empty();
        }
        NodeDemand demand = NodeDemand.of(spec);
        List<NodeCapacity> usable = usable(spec, free);
        // Preference order is usable's order; chosen nodes are usable's own objects, so identity finds them.
        UnaryOperator<List<NodeCapacity>> preference = chosen -> {
            Set<NodeCapacity> in = Collections.newSetFromMap(new IdentityHashMap<>());
            in.addAll(chosen);
            return usable.stream().filter(in::contains).collect(Collectors.toCollection(ArrayList::new));
        };
        int tasks = spec.taskCount();
        int[] shares = spec.nodes() == null ? null : evenShares(tasks, spec.nodes());
        int least = shares == null ? 1 : shares[shares.length - 1];
        List<NodeCapacity> pinned = new ArrayList<>();
        for (String name : spec.requiredHosts()) {
            if (pinned.stream().anyMatch(n -> n.named(name))) {
                continue;
            }
            Optional<NodeCapacity> node = usable.stream()
                    .filter(n -> n.named(name) && !pinned.contains(n) && demand.tasksOn(n) >= least).findFirst();
            if (node.isEmpty()) {
                return Optional.empty();
            }
            pinned.add(node.get());
        }
        Optional<List<Share>> layout = shares == null
                ? pack(tasks, leastNodes(spec, pinned), usable, pinned, demand, preference)
                : spread(shares, usable, pinned, demand, preference);
        return layout.map(l -> allocation(l, spec, demand, free));
    }

    /** A host named twice (by host name and node id) is one node, so the pinned nodes count, not the names. */
    private static int leastNodes(JobSpec spec, List<NodeCapacity> pinned) {
        int least = Math.max(1, pinned.size());
        if (spec.tasks() != null && spec.tasksPerNode() != null) {
            least = Math.max(least, (spec.tasks() + spec.tasksPerNode() - 1) / spec.tasksPerNode());
        }
        return least;
    }

    private record Share(NodeCapacity node, int tasks) {
    }

    private static List<NodeCapacity> usable(JobSpec spec, FreeResources free) {
        Set<String> excluded = new HashSet<>(spec.excludedHosts());
        List<NodeCapacity> out = new ArrayList<>();
        for (NodeCapacity n : free.nodes()) {
            boolean allowed = excluded.isEmpty() || !n.namedIn(excluded);
            if (allowed && !free.heldWhole(n.nodeId()) && (!spec.wholeNodes() || free.idle(n.nodeId()))
                    && !free.barred(spec, n)) {
                out.add(n);
            }
        }
        if (spec.service() != null) {
            // A service's replicas spread: the nodes holding fewest of its instances come first (a stable sort,
            // so the preference order decides among equals). Other jobs keep first fit, at no cost.
            Map<String, Integer> held = free.instancesOf(spec.service());
            if (!held.isEmpty()) {
                out.sort(Comparator.comparingInt(n -> held.getOrDefault(n.nodeId(), 0)));
            }
        }
        return out;
    }

    /**
     * Exactly shares.length nodes. The larger shares need nodes that can hold one task more, so such nodes are
     * chosen first; they take the larger shares and lead the allocation, as in Slurm's "3(x2),2".
     */
    private static Optional<List<Share>> spread(int[] shares, List<NodeCapacity> usable, List<NodeCapacity> pinned,
            NodeDemand demand, UnaryOperator<List<NodeCapacity>> preference) {
        int base = shares[shares.length - 1];
        int larger = (int) Arrays.stream(shares).filter(s -> s > base).count();
        List<NodeCapacity> chosen = new ArrayList<>(pinned);
        for (int minimum : new int[] {base + 1, base}) {
            for (NodeCapacity n : usable) {
                if (chosen.size() < shares.length && !chosen.contains(n) && demand.tasksOn(n) >= minimum) {
                    chosen.add(n);
                }
            }
        }
        if (chosen.size() < shares.length) {
            return Optional.empty();
        }
        chosen = preference.apply(chosen);
        List<Share> first = new ArrayList<>();
        List<Share> rest = new ArrayList<>();
        for (NodeCapacity n : chosen) {
            if (first.size() < larger && demand.tasksOn(n) > base) {
                first.add(new Share(n, base + 1));
            } else {
                rest.add(new Share(n, base));
            }
        }
        if (first.size() < larger) {
            return Optional.empty();
        }
        first.addAll(rest);
        return Optional.of(first);
    }

    /** At least leastNodes nodes, as few as hold the tasks; each node takes what it can, the first ones first. */
    private static Optional<List<Share>> pack(int tasks, int leastNodes, List<NodeCapacity> usable,
            List<NodeCapacity> pinned, NodeDemand demand, UnaryOperator<List<NodeCapacity>> preference) {
        List<NodeCapacity> chosen = new ArrayList<>(pinned);
        long room = pinned.stream().mapToLong(demand::tasksOn).sum();
        for (NodeCapacity n : usable) {
            if (chosen.size() >= leastNodes && room >= tasks) {
                break;
            }
            int fits = demand.tasksOn(n);
            if (fits > 0 && !chosen.contains(n)) {
                chosen.add(n);
                room += fits;
            }
        }
        if (chosen.size() < leastNodes || room < tasks || chosen.size() > tasks) {
            return Optional.empty();
        }
        chosen = preference.apply(chosen);
        // Every node runs one task; the rest fill the first nodes up.
        int left = tasks - chosen.size();
        List<Share> out = new ArrayList<>();
        for (NodeCapacity n : chosen) {
            int more = Math.min(left, demand.tasksOn(n) - 1);
            left -= more;
            out.add(new Share(n, 1 + more));
        }
        return Optional.of(out);
    }

    /** An exclusive job is given all of each node, as Slurm does, so the node's whole size shows in its slots. */
    private static Allocation allocation(List<Share> layout, JobSpec spec, NodeDemand demand, FreeResources free) {
        List<Allocation.NodeSlots> slots = new ArrayList<>();
        for (Share s : layout) {
            NodeCapacity n = s.node();
            if (spec.wholeNodes()) {
                NodeCapacity all = free.total(n.nodeId());
                slots.add(new Allocation.NodeSlots(n.nodeId(), n.hostname(), s.tasks(), all.cores(), all.gpus(),
                        all.memoryMb(), all.gpuTypes().isEmpty() ? null : all.gpuTypes()));
            } else {
                int gpus = s.tasks() * demand.gpusPerTask();
                slots.add(new Allocation.NodeSlots(n.nodeId(), n.hostname(), s.tasks(),
                        s.tasks() * demand.cpusPerTask(), gpus, demand.memoryMb(),
                        TypedGpus.take(n.gpuTypes(), demand.gpuType(), gpus)));
            }
        }
        return new Allocation(slots);
    }
}
