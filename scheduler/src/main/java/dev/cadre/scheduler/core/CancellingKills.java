package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who named the cancels whose kills are under way, by job. The kill's order stores the name (JobChange.cancelledBy)
 * but the job's record does not carry it, and the CANCELLED the node's confirmation brings, perhaps after a restart
 * of the head, is to name the same user on its job-state-changed (docs/protocol.md 8.1), so that a watcher of the
 * events alone can tell a user's cancel from the scheduler's own ends.
 */
final class CancellingKills {
    private final JobHistory history;
    private final Map<Long, String> byJob = new HashMap<>();

    CancellingKills(JobHistory history) {
        this.history = history;
    }

    /** A named cancel ordered the job's kill (a later order's name replaces it, as in the store). */
    void ordered(long jobId, String user) {
        if (user != null) {
            byJob.put(jobId, user);
        }
    }

    /** The head starts again: the names of the cancel kills still unconfirmed are read back from the store, once. */
    void recover(List<JobRecord> unfinished) {
        List<Long> cancelling = unfinished.stream().filter(j -> j.state() == JobState.COMPLETING
                && j.reason().equals(JobState.CANCELLED.name())).map(JobRecord::id).toList();
        if (!cancelling.isEmpty()) {
            history.killCancellers(cancelling).forEach(this::ordered);
        }
    }

    /**
     * The job's attempt ended as {@code endAs}: who named the cancel, when that is the end the kill asked for, else
     * null (its time limit struck first). Forgotten either way, as the job is over or queued again.
     */
    String ended(long jobId, JobState endAs) {
        String user = byJob.remove(jobId);
        return endAs == JobState.CANCELLED ? user : null;
    }
}
