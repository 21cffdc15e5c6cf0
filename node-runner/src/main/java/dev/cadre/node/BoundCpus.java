package dev.cadre.node;

import dev.cadre.node.core.CpuChoice;
import dev.cadre.node.core.CpuList;
import dev.cadre.node.core.NodeTopology;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPUs each attempt of the node is bound to ({@link CpuChoice}): chosen as it starts from those the node-runner
 * may run on, none held by another attempt ({@link AttemptShares}, which keeps who holds what), and set by its
 * wrapper on itself before it runs the script, so the script and every process it starts inherit them. A restarted
 * runner reads what an adopted attempt holds back from its wrapper's {@code /proc/PID/status}.
 *
 * <p>The remote commands of an attempt run on its CPUs too: on the node that runs its script, on those of its
 * wrapper; on a node that only holds part of its allocation for remote commands, on CPUs chosen here as the node
 * takes the attempt, which batch jobs started later do not get, and which the held attempt's record keeps for a
 * restarted runner ({@link ExecRecords#hold}).
 */
final class BoundCpus {
    private static final Logger LOG = LoggerFactory.getLogger(BoundCpus.class);
    private static final Path SYSFS_CPUS = Path.of("/sys/devices/system/cpu");
    /** Binds nothing. */
    static final BoundCpus NONE = new BoundCpus(Collections.emptySortedSet(), null, NodeTopology.UNKNOWN);

    /** The CPUs attempts are bound within; empty when the node binds none. */
    private final SortedSet<Integer> allowed;
    private final String nodeId;
    private final NodeTopology topology;

    private BoundCpus(SortedSet<Integer> allowed, String nodeId, NodeTopology topology) {
        this.allowed = allowed;
        this.nodeId = nodeId;
        this.topology = topology;
    }

    /** The node's binding, said in its log once, with the reason when it binds nothing. */
    static BoundCpus choose(CpuChoice.Mode mode, int declaredCores, String nodeId) {
        SortedSet<Integer> allowed = mode == CpuChoice.Mode.NONE ? Collections.emptySortedSet()
                : cpusOf("self").orElse(Collections.emptySortedSet());
        Optional<String> unbound = CpuChoice.whyUnbound(mode, declaredCores, allowed);
        if (unbound.isPresent()) {
            LOG.info("cpu binding: none, jobs may run on any CPU ({})", unbound.get());
            return NONE;
        }
        LOG.info("cpu binding: cores, each job to the CPUs it was given of {}", CpuList.format(allowed));
        return new BoundCpus(allowed, nodeId, readTopology());
    }

    /** Binds within these CPUs, whatever the node-runner may run on, on a node of this topology. */
    static BoundCpus within(SortedSet<Integer> allowed, String nodeId, NodeTopology topology) {
        return new BoundCpus(allowed, nodeId, topology);
    }

    /**
     * The node's CPUs as sysfs shows them, read once, as the node starts: a step's tasks are laid out over them
     * ({@link TaskBinding}) at every launch. What cannot be read is left out (one socket, masks as wide as the job's
     * CPUs).
     */
    static NodeTopology readTopology() {
        SortedSet<Integer> online;
        try {
            online = CpuList.parse(Files.readString(SYSFS_CPUS.resolve("online")).trim());
        } catch (IOException | RuntimeException e) {
            return NodeTopology.UNKNOWN;
        }
        Map<Integer, Integer> sockets = new HashMap<>();
        for (int cpu : online) {
            try {
                sockets.put(cpu, Integer.valueOf(Files.readString(SYSFS_CPUS.resolve("cpu" + cpu)
                        .resolve("topology/physical_package_id")).trim()));
            } catch (IOException | NumberFormatException e) {
                // On socket 0, as on a node of one socket.
            }
        }
        return new NodeTopology(sockets, online.isEmpty() ? 0 : online.last() + 1);
    }

    /** The node's CPUs' sockets and count, as read at its start. */
    NodeTopology topology() {
        return topology;
    }

    /** The CPUs a process may run on; empty when it is gone or says none. */
    static Optional<SortedSet<Integer>> cpusOf(String pid) {
        try {
            return CpuList.fromStatus(Files.readString(Path.of("/proc", pid, "status")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean binds() {
        return !allowed.isEmpty();
    }

    /**
     * The lowest CPUs free of every other attempt ({@code held}, {@link AttemptShares}); empty (it runs unbound) when
     * the node binds none or too few are free, which is logged.
     */
    SortedSet<Integer> choose(NodeCommand.PlaceJob place, Set<Integer> held) {
        if (!binds()) {
            return Collections.emptySortedSet();
        }
        int cpus = slotCpus(place);
        Optional<SortedSet<Integer>> chosen = CpuChoice.choose(allowed, held, cpus, place.spec().wholeNodes());
        if (chosen.isEmpty()) {
            LOG.warn("job {} attempt {}: not bound to CPUs: it has {} here and {} of {} are free", place.jobId(),
                    place.attempt(), cpus, allowed.size() - held.stream().filter(allowed::contains).count(),
                    CpuList.format(allowed));
            return Collections.emptySortedSet();
        }
        return chosen.get();
    }

    /** What an adopted attempt, whose wrapper is {@code pid}, holds. */
    SortedSet<Integer> adopted(long pid, NodeCommand.PlaceJob place) {
        if (!binds()) {
            return Collections.emptySortedSet();
        }
        return CpuChoice.heldByAdopted(cpusOf(Long.toString(pid)).orElse(Collections.emptySortedSet()),
                slotCpus(place), place.spec().wholeNodes());
    }

    private int slotCpus(NodeCommand.PlaceJob place) {
        return place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .mapToInt(Allocation.NodeSlots::cpus).findFirst().orElse(0);
    }
}
