package dev.cadre.node;

import dev.cadre.node.core.GpuChoice;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPUs each attempt of the node is given ({@link GpuChoice}), none held by another attempt ({@link
 * AttemptShares}, which keeps who holds what): chosen as its script starts here (kept in its attempt directory,
 * {@link AttemptDirectory#recordGpus}, for a restarted runner), or, for an attempt held here for another node's job,
 * as the node takes it (kept in its held record, {@link ExecRecords#hold}). Its script and its remote commands here
 * are told them ({@link dev.cadre.node.core.GpuEnvironment}); nothing stops a process from opening another GPU's
 * device, as nothing does in Slurm without ConstrainDevices.
 */
final class BoundGpus {
    private static final Logger LOG = LoggerFactory.getLogger(BoundGpus.class);
    /** A node without GPUs. */
    static final BoundGpus NONE = new BoundGpus(NodeGpus.NONE, null);

    private final NodeGpus node;
    private final String nodeId;

    BoundGpus(NodeGpus node, String nodeId) {
        this.node = node;
        this.nodeId = nodeId;
        if (node.count() > 0) {
            LOG.info("gpus: {} ({}), each job told the ones it was given", node.indexes(),
                    node.detected() ? "nvidia-smi" : "declared");
        }
    }

    NodeGpus node() {
        return node;
    }

    /** What an adopted attempt was given, as its directory kept it; none, logged, when the record is damaged. */
    List<Integer> adopted(AttemptDirectory dir) {
        try {
            return dir.recordedGpus();
        } catch (IOException e) {
            LOG.warn("{}: its GPUs are not known, taken for none: {}", dir.dir(), e.getMessage());
            return List.of();
        }
    }

    /**
     * The GPUs of an attempt, of the types the head gave it here, the lowest free of every other attempt's ({@code
     * held}) first; empty for an attempt with none here. Shares held ones, with a warning, when too few are free.
     */
    List<Integer> choose(NodeCommand.PlaceJob place, Set<Integer> held) {
        Allocation.NodeSlots slot = place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .findFirst().orElse(null);
        int gpus = slot == null ? 0 : slot.gpus();
        if (node.count() == 0 || gpus == 0 && !place.spec().wholeNodes()) {
            return List.of();
        }
        List<Integer> chosen = GpuChoice.choose(node, held, gpus, slot == null ? null : slot.gpuTypes(),
                place.spec().wholeNodes());
        if (chosen.stream().anyMatch(held::contains)) {
            LOG.warn("job {} attempt {}: {} GPUs here and only {} of {} free: it shares {}", place.jobId(),
                    place.attempt(), gpus, node.indexes().stream().filter(g -> !held.contains(g)).count(),
                    node.indexes(), chosen.stream().filter(held::contains).toList());
        }
        return chosen;
    }
}
