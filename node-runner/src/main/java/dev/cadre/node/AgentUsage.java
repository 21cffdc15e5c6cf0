package dev.cadre.node;

import dev.cadre.protocol.ResourceUsage;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage a remote command's exit told this node's relay (protocol.md 13.7), handed to the attempt whose script
 * this node runs, which counts it with its own ({@link RemoteCommandUsage}); and which of an attempt's agents still
 * wait for their commands' exits, for its end to give those a moment ({@link AttemptCompletion}). Every job on the
 * node reaches the relay socket, so only an agent that gave its attempt's token counts, checked as its failures are
 * ({@link AgentFailures}): one job can neither add to another's figures nor hold its end back. An attempt this node
 * holds for a job another node coordinates (a daemon's agents, when mpirun spawns by tree) reports no end here, and
 * its commands' usage is not counted; nor is an exit that comes once the attempt's end is built.
 */
final class AgentUsage {
    private static final Logger LOG = LoggerFactory.getLogger(AgentUsage.class);

    /** The attempts this node runs the scripts of. */
    interface Attempts {
        /** @return false, with nothing counted, when the attempt does not run here or its end is built */
        boolean count(long jobId, int attempt, ResourceUsage usage);
    }

    private final AgentFailures tokens;
    private volatile Attempts attempts = (jobId, attempt, usage) -> false;
    /** How many runs of each attempt's agents wait for their exits, by {@link HeldAttempts#key}; guarded by itself. */
    private final Map<String, Integer> waiting = new HashMap<>();

    /** @param tokens the attempts held here, with their tokens */
    AgentUsage(AgentFailures tokens) {
        this.tokens = tokens;
    }

    /** Where usage is counted: the node's supervisor, once it exists. */
    void countWith(Attempts attempts) {
        this.attempts = attempts;
    }

    /**
     * An agent's run is relayed from now on, ids and token as the agent gave them.
     *
     * @return what {@link #ended} takes once the run is over; null for an agent of no attempt held here with its
     *     token, whose run nobody waits for
     */
    String started(String jobId, String attempt, String token) {
        String key = admitted(jobId, attempt, token);
        if (key != null) {
            synchronized (waiting) {
                waiting.merge(key, 1, Integer::sum);
            }
        }
        return key;
    }

    /** @param key what {@link #started} gave; null for nothing */
    void ended(String key) {
        if (key != null) {
            synchronized (waiting) {
                waiting.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Whether an agent of the attempt on this node still waits for its command's exit. */
    boolean waiting(long jobId, int attempt) {
        synchronized (waiting) {
            return waiting.containsKey(HeldAttempts.key(jobId, attempt));
        }
    }

    /**
     * Counts the usage with the attempt, ids and token as the agent gave them; nothing for an agent outside any job
     * (no ids), for one whose token is not the attempt's (logged, naming why), or for no usage.
     */
    void note(String jobId, String attempt, String token, ResourceUsage usage) {
        if (usage == null) {
            return;
        }
        String key = admitted(jobId, attempt, token);
        if (key == null) {
            return;
        }
        long job = Long.parseLong(jobId);
        int number = Integer.parseInt(attempt);
        if (!attempts.count(job, number, usage)) {
            LOG.debug("exec relay: job {} attempt {}: a remote command's usage is not counted: the attempt's script"
                    + " does not run here, or its end was built", job, number);
        }
    }

    /** The attempt's key when the agent gave its ids and token; else null, logged unless it named no attempt. */
    private String admitted(String jobId, String attempt, String token) {
        if (jobId.isEmpty() || attempt.isEmpty()) {
            return null;
        }
        long job;
        int number;
        try {
            job = Long.parseLong(jobId);
            number = Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            LOG.warn("exec relay: an agent's job id or attempt is not a number; its command's usage is not counted");
            return null;
        }
        if (!tokens.holds(job, number)) {
            // Ended here meanwhile (an exit that came after the end), or never held: nothing to count it with.
            LOG.debug("exec relay: job {} attempt {} is not held here; its agent's usage is not counted", job, number);
            return null;
        }
        String refusal = tokens.refusal(job, number, token);
        if (refusal != null) {
            LOG.warn("exec relay: an agent's command's usage is not counted for job {} attempt {}: {}", job, number,
                    refusal);
            return null;
        }
        return HeldAttempts.key(job, number);
    }
}
