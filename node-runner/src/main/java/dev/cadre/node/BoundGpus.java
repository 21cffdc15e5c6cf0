package dev.cadre.node;

import dev.cadre.node.core.GpuChoice;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.NodeCommand;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPUs each attempt of the node holds ({@link GpuChoice}): chosen as its script starts here (kept in its attempt
 * directory, {@link AttemptDirectory#recordGpus}, for a restarted runner), or, for an attempt held here for another
 * node's job, as the node takes it (kept in its held record, {@link ExecRecords#hold}); none held by another attempt,
 * a suspended one keeping its own. Its script and its remote commands here are told them
 * ({@link dev.cadre.node.core.GpuEnvironment}); nothing stops a process from opening another GPU's device, as
 * nothing does in Slurm without ConstrainDevices.
 */
final class BoundGpus {
    private static final Logger LOG = LoggerFactory.getLogger(BoundGpus.class);

    private final NodeGpus node;
    private final String nodeId;
    /** The attempts whose scripts run here, by {@link RunningAttempt#key}; set once by {@link JobSupervisor}. */
    private volatile Map<String, RunningAttempt> running = Map.of();
    /** The choices of attempts being started, by key. */
    private final Map<String, List<Integer>> starting = new HashMap<>();
    /** The GPUs of the attempts held here for other nodes' jobs, by key. */
    private final Map<String, List<Integer>> heldElsewhere = new HashMap<>();

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

    /** The attempts the node runs, whose GPUs no other attempt gets. */
    void track(Map<String, RunningAttempt> attempts) {
        this.running = attempts;
    }

    /** Chooses the GPUs of an attempt whose script starts here, held until {@link #started}; empty for none. */
    synchronized List<Integer> take(NodeCommand.PlaceJob place) {
        List<Integer> chosen = choose(place);
        if (!chosen.isEmpty()) {
            starting.put(RunningAttempt.key(place.jobId(), place.attempt()), chosen);
        }
        return chosen;
    }

    /** The attempt is listed as running, or did not start: its choice is no longer held here. */
    synchronized void started(NodeCommand.PlaceJob place) {
        starting.remove(RunningAttempt.key(place.jobId(), place.attempt()));
    }

    /** Chooses the GPUs of an attempt held here for another node's job, unless it holds some already. */
    synchronized List<Integer> hold(NodeCommand.PlaceJob place) {
        String key = RunningAttempt.key(place.jobId(), place.attempt());
        List<Integer> known = heldElsewhere.get(key);
        if (known == null) {
            known = choose(place);
            heldElsewhere.put(key, known);
            if (!known.isEmpty()) {
                LOG.info("job {} attempt {}: its remote commands here given GPUs {}", place.jobId(), place.attempt(),
                        known);
            }
        }
        return known;
    }

    /** A restarted runner: the held attempt has the GPUs its record kept, and no new choice is made for it. */
    synchronized void heldAgain(NodeCommand.PlaceJob place, List<Integer> gpus) {
        heldElsewhere.put(RunningAttempt.key(place.jobId(), place.attempt()), List.copyOf(gpus));
    }

    /** The held attempt's commands here are gone: its GPUs go to other jobs. */
    synchronized void release(long jobId, int attempt) {
        heldElsewhere.remove(RunningAttempt.key(jobId, attempt));
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

    /** What the attempt's remote commands here are given: its script's GPUs, or its share held here; else none. */
    List<Integer> of(long jobId, int attempt) {
        return known(jobId, attempt).orElse(List.of());
    }

    /**
     * What the attempt holds here, for the head; absent for one the node neither runs nor holds (one whose commands
     * are being killed), or runs without knowing (adopted once its wrapper had ended).
     */
    Optional<List<Integer>> known(long jobId, int attempt) {
        String key = RunningAttempt.key(jobId, attempt);
        synchronized (this) {
            List<Integer> gpus = heldElsewhere.getOrDefault(key, starting.get(key));
            if (gpus != null) {
                return Optional.of(gpus);
            }
        }
        return Optional.ofNullable(running.get(key)).filter(r -> r.cpusKnown).map(r -> r.gpus);
    }

    private List<Integer> choose(NodeCommand.PlaceJob place) {
        int gpus = place.allocation().nodes().stream().filter(n -> n.nodeId().equals(nodeId))
                .mapToInt(Allocation.NodeSlots::gpus).findFirst().orElse(0);
        if (node.count() == 0 || gpus == 0 && !place.spec().wholeNodes()) {
            return List.of();
        }
        Set<Integer> held = new HashSet<>();
        // A suspended attempt keeps its GPUs, as the head keeps them counted: a GPU's memory is not given back.
        running.values().forEach(r -> held.addAll(r.gpus));
        starting.values().forEach(held::addAll);
        heldElsewhere.values().forEach(held::addAll);
        List<Integer> chosen = GpuChoice.choose(node, held, gpus, place.spec().wholeNodes());
        if (chosen.stream().anyMatch(held::contains)) {
            LOG.warn("job {} attempt {}: {} GPUs here and only {} of {} free: it shares {}", place.jobId(),
                    place.attempt(), gpus, node.indexes().stream().filter(g -> !held.contains(g)).count(),
                    node.indexes(), chosen.stream().filter(held::contains).toList());
        }
        return chosen;
    }
}
