package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.RunnerEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs requeued because the one node of their attempt stopped responding (cut off, or its node-runner away past the
 * node timeout), whose script may have run on there to its own end. When that node reports such an end before the job
 * has started again, the job ends as the attempt did instead of running a second time. Remembered in memory only:
 * after a restart of the head such a job runs again, as it did before this existed. At most one entry per unfinished
 * job.
 */
final class LateOutcomes {
    private final JobHistory history;
    private final JobEndings endings;
    private final Map<Long, GivenUp> givenUp = new HashMap<>();

    /** The attempt the head gave up on, and where it ran. */
    private record GivenUp(int attempt, Allocation allocation) {
    }

    LateOutcomes(JobHistory history, JobEndings endings) {
        this.history = history;
        this.endings = endings;
    }

    /**
     * The job was on silent node nodeId and is now {@code after}. Remembered when it was requeued and ran there
     * alone: on several nodes the kills of its other parts break its run; a service's instance is replaced by its
     * reconciler anyway.
     */
    void remember(JobRecord before, JobRecord after, String nodeId) {
        if (after != null && after.state() == JobState.PENDING && before.allocation() != null
                && before.allocation().nodeIds().equals(List.of(nodeId)) && before.spec().service() == null) {
            givenUp.put(before.id(), new GivenUp(before.attempt(), before.allocation()));
        }
    }

    /** The job has ended (by {@link JobEndings#end}, this class's ends too): nothing of it is waited for any more. */
    void forget(long jobId) {
        givenUp.remove(jobId);
    }

    /**
     * The end node f.nodeId() reports for attempt f.attempt() of pending job j. It ends the job as it says, and the
     * attempt's record takes that outcome (and what its processes used) in place of NODE_FAIL, when: the head gave
     * that attempt up with that node, the job has not started again, and the script ended by its own exit or at a
     * limit the node enforces (TIMEOUT, OUT_OF_MEMORY). Empty, changing nothing, otherwise: a kill the head asked for, a signal with no
     * reason (a kill whose reason a restarted node-runner no longer knows), another node's word, an attempt a user's
     * requeue was stopping (its record is REQUEUED: their word decides, as when a kill and an exit cross).
     */
    Optional<Decisions> end(JobTable jobs, JobRecord j, RunnerEvent.RunnerFinished f) {
        GivenUp lost = givenUp.get(j.id());
        boolean ownEnd = f.killedFor() == null ? f.signal() == 0
                : JobEndings.NODE_KILL_REASONS.contains(f.killedFor());
        if (lost == null || lost.attempt() != f.attempt() || j.state() != JobState.PENDING
                || j.attempt() != f.attempt() || !lost.allocation().coordinator().nodeId().equals(f.nodeId())
                || !ownEnd) {
            return Optional.empty();
        }
        Optional<AttemptRecord> given = history.attempt(j.id(), f.attempt())
                .filter(a -> a.state() == JobState.NODE_FAIL && a.startTime() != null);
        if (given.isEmpty()) {
            return Optional.empty();
        }
        AttemptRecord a = given.get();
        JobState endAs = f.killedFor() != null ? f.killedFor()
                : f.exitCode() == 0 ? JobState.COMPLETED : JobState.FAILED;
        String reason = JobEndings.reason(endAs, f);
        String error = JobEndings.ownError(endAs, f);
        Instant endedAt = endings.endedAt(a.startTime(), f);
        // Its requeue's backoff is not when it became eligible: it had started before.
        Instant eligible = j.eligibleTime() != null && j.eligibleTime().isAfter(a.startTime()) ? a.startTime()
                : j.eligibleTime();
        // The record as it was while the attempt ran, so that it ends as any job does: with its nodes and start.
        JobRecord ran = new JobRecord(j.id(), j.submissionKey(), j.spec(), j.state(), j.reason(), j.attempt(),
                lost.allocation(), true, null, null, j.submitTime(), a.startTime(), null, eligible, j.array());
        Decisions d = endings.end(jobs, ran, endAs, reason, f.exitCode(), f.signal(), error, endedAt, f.usage());
        d.warn("job " + j.displayId() + " attempt " + a.attempt() + ", requeued when its node " + a.nodes()
                + " stopped responding, ended there on its own (" + endAs + ", exit " + f.exitCode() + ":"
                + f.signal() + ") before it started again: it ends so, and does not run a second time");
        return Optional.of(d);
    }
}
