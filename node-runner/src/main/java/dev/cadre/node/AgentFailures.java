package dev.cadre.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last failure of a job attempt's remote-exec agents on this node ("h2 did not answer within 10 s"), so
 * that the attempt's end can say why mpirun gave up instead of only its exit code.
 */
final class AgentFailures {
    /** Attempts coordinated elsewhere (a tree-spawned daemon's agents) are never taken: keep the newest only. */
    private static final int KEPT = 1_000;
    private static final int LONGEST = 1_000;
    private final Map<String, String> last = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT;
        }
    };

    /** Ids as the agent gave them; an agent outside any job has none, and nothing is kept for it. */
    synchronized void note(String jobId, String attempt, String failure) {
        if (jobId.isEmpty() || attempt.isEmpty()) {
            return;
        }
        String key = jobId + "-" + attempt;
        last.remove(key);
        last.put(key, failure.length() > LONGEST ? failure.substring(0, LONGEST) + "..." : failure);
    }

    synchronized String take(String jobId, String attempt) {
        return last.remove(jobId + "-" + attempt);
    }
}
