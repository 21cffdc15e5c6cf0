package dev.cadre.node;

import dev.cadre.node.core.ExecAdmission;
import dev.cadre.node.core.NodeGpus;
import dev.cadre.node.core.NodeTopology;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts this node holds, with their place-jobs: those it coordinates and those of jobs coordinated elsewhere
 * whose remote commands it runs. Only the latter are recorded here ({@link ExecRecords}), since nothing else on the
 * node keeps them, so that a restarted runner holds them again as it re-adopts the ones it coordinates from their
 * attempt directories. Synchronized, so that whoever checks that an attempt is held after listing something of it
 * and whoever releases it before killing what is listed never miss each other.
 */
final class HeldAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(HeldAttempts.class);
    private final String nodeId;
    private final ExecRecords records;
    private final Map<String, NodeCommand.PlaceJob> held = new HashMap<>();
    /**
     * The CPUs and GPUs of held attempts' remote commands; none until the node's binding and GPUs are known
     * ({@link #bind}).
     */
    private volatile AttemptShares shares = new AttemptShares(BoundCpus.NONE, Map.of());

    HeldAttempts(String nodeId, ExecRecords records) {
        this.nodeId = nodeId;
        this.records = records;
    }

    static String key(long jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    /** Before anything is held ({@link ExecService#restore}). */
    void bind(AttemptShares shares) {
        this.shares = shares;
    }

    /** Holds the attempt; one coordinated elsewhere gets CPUs and GPUs of its own here, kept in its record. */
    synchronized void hold(NodeCommand.PlaceJob place) {
        if (!coordinatedHere(place)) {
            try {
                AttemptShares.Share share = shares.hold(place);
                records.hold(place, share.cpus(), share.gpus());
            } catch (IOException e) {
                LOG.error("job {} attempt {}: cannot record that this node holds it; a restarted runner will not",
                        place.jobId(), place.attempt(), e);
            }
        }
        held.put(key(place.jobId(), place.attempt()), place);
    }

    /**
     * What the last runner held for other nodes' jobs, to be held again before any command is taken, each with the
     * CPUs and GPUs its record kept: known before any attempt chooses CPUs or GPUs here.
     */
    List<NodeCommand.PlaceJob> recorded() throws IOException {
        List<ExecRecords.Held> recorded = records.held();
        recorded.forEach(h -> shares.heldAgain(h.place(), new AttemptShares.Share(h.cpus(), List.copyOf(h.gpus()))));
        return recorded.stream().map(ExecRecords.Held::place).toList();
    }

    /** What the attempt's remote commands here are bound to; empty for none. */
    java.util.SortedSet<Integer> cpusOf(long jobId, int attempt) {
        return shares.of(jobId, attempt).cpus();
    }

    /** What the attempt's remote commands here are given: its script's GPUs, or its share held here; else none. */
    List<Integer> gpusOf(long jobId, int attempt) {
        return shares.of(jobId, attempt).gpus();
    }

    /** The node's CPUs as read at its start, over which a step's tasks are laid out ({@link TaskBinding}). */
    NodeTopology topology() {
        return shares.cpus().topology();
    }

    /** The node's GPUs, which the commands are told of ({@link dev.cadre.node.core.GpuEnvironment}). */
    NodeGpus nodeGpus() {
        return shares.nodeGpus();
    }

    /** The attempt's commands here are gone once it was released: its CPUs and GPUs go to other jobs. */
    void releaseShare(long jobId, int attempt) {
        shares.release(jobId, attempt);
    }

    synchronized void release(long jobId, int attempt) {
        NodeCommand.PlaceJob place = held.remove(key(jobId, attempt));
        if (place == null || !coordinatedHere(place)) {
            records.release(jobId, attempt);
        }
    }

    synchronized NodeCommand.PlaceJob get(long jobId, int attempt) {
        return held.get(key(jobId, attempt));
    }

    synchronized boolean holds(long jobId, int attempt) {
        return held.containsKey(key(jobId, attempt));
    }

    /**
     * Null when the attempt is held here and the token is its own, checked as exec requests are ({@link
     * ExecAdmission#refusal}); otherwise why not.
     */
    synchronized String refusal(long jobId, int attempt, String token) {
        return ExecAdmission.refusal(jobId, attempt, token, held.get(key(jobId, attempt)), nodeId);
    }

    /** Attempts held here without being coordinated here: a heartbeat lists them too. */
    List<RunnerEvent.RunningAttempt> coordinatedElsewhere() {
        return placesCoordinatedElsewhere().stream().map(p -> new RunnerEvent.RunningAttempt(p.jobId(), p.attempt()))
                .toList();
    }

    /** The place-jobs of the attempts held here without being coordinated here. */
    synchronized List<NodeCommand.PlaceJob> placesCoordinatedElsewhere() {
        return held.values().stream().filter(p -> !coordinatedHere(p)).toList();
    }

    private boolean coordinatedHere(NodeCommand.PlaceJob place) {
        return place.allocation().coordinator().nodeId().equals(nodeId);
    }
}
