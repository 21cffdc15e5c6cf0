package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.List;

/** The jobs a node's failure requeued or ended, for one log line however many there are. */
final class NodeFailureTally {
    private final List<Long> requeued = new ArrayList<>();
    private final List<Long> ended = new ArrayList<>();

    /** Fails the job's attempt through {@code endings} and counts how it came out. */
    Decisions fail(JobEndings endings, JobTable jobs, JobRecord j, String why) {
        return tally(j, endings.nodeFailed(jobs, j, why));
    }

    /** As {@link #fail}, for a job on a node that stopped responding; see {@link JobEndings#nodeSilent}. */
    Decisions failSilent(JobEndings endings, JobTable jobs, JobRecord j, String nodeId, String why) {
        return tally(j, endings.nodeSilent(jobs, j, nodeId, why));
    }

    private Decisions tally(JobRecord j, Decisions d) {
        JobState last = null;
        for (JobChange c : d.changes()) {
            if (c.job().id() == j.id()) {
                last = c.job().state();
            }
        }
        (last == JobState.PENDING ? requeued : ended).add(j.id());
        return d;
    }

    boolean isEmpty() {
        return requeued.isEmpty() && ended.isEmpty();
    }

    /** "2 requeued (12, 14), 1 ended (15)". */
    String summary() {
        List<String> parts = new ArrayList<>();
        if (!requeued.isEmpty()) {
            parts.add(requeued.size() + " requeued (" + ShortList.of(requeued) + ")");
        }
        if (!ended.isEmpty()) {
            parts.add(ended.size() + " ended for good (" + ShortList.of(ended) + ")");
        }
        return String.join(", ", parts);
    }
}
