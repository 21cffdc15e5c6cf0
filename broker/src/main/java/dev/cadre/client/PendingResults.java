package dev.cadre.client;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches job endings to the submissions waiting for them. A job can end before its acceptance reaches us (the
 * reply and the event travel different routes), so endings nobody waits for yet are kept for a while: the most
 * recent {@code recentLimit} of them.
 */
final class PendingResults {
    private final Map<Long, List<Submission>> waiting = new HashMap<>();
    private final Map<Long, JobResult> recentEndings;

    PendingResults(int recentLimit) {
        if (recentLimit < 1) {
            throw new IllegalArgumentException("recentLimit must be at least 1, not " + recentLimit);
        }
        this.recentEndings = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, JobResult> eldest) {
                return size() > recentLimit;
            }
        };
    }

    /**
     * Records an acceptance. Returns the job's result when it is already known (the job ended before this
     * acceptance, or a resubmission found it finished); otherwise the submission waits for the job's end.
     */
    synchronized JobResult accepted(Submission submission, ClientReply.JobAccepted a) {
        if (a.state() != null && a.state().isTerminal()) {
            return JobResult.of(a);
        }
        JobResult early = recentEndings.get(a.jobId());
        if (early != null) {
            return early;
        }
        List<Submission> list = waiting.computeIfAbsent(a.jobId(), id -> new ArrayList<>(1));
        if (!list.contains(submission)) {
            list.add(submission);
        }
        return null;
    }

    /** Returns the submissions that this event ends; remembers the ending if none waits for it yet. */
    synchronized List<Submission> changed(JobEvent.JobStateChanged e) {
        if (!e.state().isTerminal()) {
            return List.of();
        }
        List<Submission> ended = waiting.remove(e.jobId());
        if (ended == null) {
            recentEndings.put(e.jobId(), JobResult.of(e));
            return List.of();
        }
        return ended;
    }

    synchronized int waitingJobs() {
        return waiting.size();
    }

    synchronized int rememberedEndings() {
        return recentEndings.size();
    }
}
