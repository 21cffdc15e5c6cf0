package dev.cadre.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last failure of a job attempt's remote-exec agents on this node ("h2 did not answer within 10 s"), so
 * that the attempt's end can say why mpirun gave up instead of only its exit code. Every job on the node reaches
 * the relay socket, so a failure is kept only for the attempt whose token the agent gave: one job cannot write
 * into another's error.
 */
final class AgentFailures {
    /** Attempts coordinated elsewhere (a tree-spawned daemon's agents) are never taken: keep the newest only. */
    private static final int KEPT = 1_000;
    private static final int LONGEST = 1_000;
    private final HeldAttempts held;
    private volatile MemoryKills memoryKills = (jobId, attempt, error) -> { };
    private final Map<String, String> last = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT;
        }
    };

    /** Stops an attempt this node coordinates whose commands another node killed for the job's memory there. */
    interface MemoryKills {
        /** @param error names the node and the figures, for the attempt's end */
        void stop(long jobId, int attempt, String error);
    }

    /** @param held the attempts whose agents may note failures, with their tokens */
    AgentFailures(HeldAttempts held) {
        this.held = held;
    }

    /**
     * Keeps the failure for the attempt's end. Ids and token as the agent gave them; an agent outside any job has
     * no ids, and nothing is kept for it.
     *
     * @throws IllegalArgumentException naming the problem, with nothing kept, when the ids are no numbers, or the
     *     token is not that of an attempt held here
     */
    void note(String jobId, String attempt, String token, String failure) {
        if (jobId.isEmpty() || attempt.isEmpty()) {
            return;
        }
        long job;
        int number;
        try {
            job = Long.parseLong(jobId);
            number = Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an agent's failure was not recorded: its job id '" + printable(jobId)
                    + "' or attempt '" + printable(attempt) + "' is not a number");
        }
        String refusal = held.refusal(job, number, token);
        if (refusal != null) {
            throw new IllegalArgumentException("an agent's failure was not recorded for job " + job + " attempt "
                    + number + ": " + refusal);
        }
        String kept = failure.length() > LONGEST ? failure.substring(0, LONGEST) + "..." : failure;
        synchronized (last) {
            String key = HeldAttempts.key(job, number);
            last.remove(key);
            last.put(key, kept);
        }
    }

    /** Where {@link #noteKilledForMemory} stops attempts: the node's supervisor, once it exists. */
    void stopAttemptsWith(MemoryKills kills) {
        this.memoryKills = kills;
    }

    /**
     * A node of the attempt killed its agent's command for the job's memory there ({@code killedFor}
     * OUT_OF_MEMORY): noted as {@link #note} does, then the attempt is stopped, if this node runs it, so that it
     * ends OUT_OF_MEMORY with {@code error}. Another node's agent (a daemon's, tree-spawned) only notes it.
     *
     * @throws IllegalArgumentException as {@link #note} does, with nothing noted or stopped
     */
    void noteKilledForMemory(String jobId, String attempt, String token, String failure, String error) {
        note(jobId, attempt, token, failure);
        if (!jobId.isEmpty() && !attempt.isEmpty()) {
            memoryKills.stop(Long.parseLong(jobId), Integer.parseInt(attempt), error);
        }
    }

    /** Whether this node holds the attempt (its relay's agents may resume their runs of it). */
    boolean holds(long jobId, int attempt) {
        return held.holds(jobId, attempt);
    }

    /** Why the token does not admit an agent to the attempt, as exec requests are checked; null when it does. */
    String refusal(long jobId, int attempt, String token) {
        return held.refusal(jobId, attempt, token);
    }

    /** The last failure noted for the attempt, forgotten once taken; null when none. */
    String take(long jobId, int attempt) {
        synchronized (last) {
            return last.remove(HeldAttempts.key(jobId, attempt));
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
