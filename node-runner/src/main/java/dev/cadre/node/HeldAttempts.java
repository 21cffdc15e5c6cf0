package dev.cadre.node;

import dev.cadre.node.core.ExecAdmission;
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

    HeldAttempts(String nodeId, ExecRecords records) {
        this.nodeId = nodeId;
        this.records = records;
    }

    static String key(long jobId, int attempt) {
        return jobId + "-" + attempt;
    }

    synchronized void hold(NodeCommand.PlaceJob place) {
        if (!coordinatedHere(place)) {
            try {
                records.hold(place);
            } catch (IOException e) {
                LOG.error("job {} attempt {}: cannot record that this node holds it; a restarted runner will not",
                        place.jobId(), place.attempt(), e);
            }
        }
        held.put(key(place.jobId(), place.attempt()), place);
    }

    /** What the last runner held for other nodes' jobs, to be held again before any command is taken. */
    List<NodeCommand.PlaceJob> recorded() throws IOException {
        return records.held();
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
