package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ResourceUsage;
import dev.cadre.protocol.RunnerEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How attempts end: the job's end state, the attempt's record, and requeues after node failures. */
final class JobEndings {
    /**
     * What a node may give as the reason it killed an attempt: the reasons of kill-job, the time limit, and the job's
     * memory request, which the node enforces on its own.
     */
    private static final Set<JobState> KILL_REASONS = EnumSet.of(JobState.CANCELLED, JobState.TIMEOUT,
            JobState.REQUEUED, JobState.NODE_FAIL, JobState.OUT_OF_MEMORY);
    /** The kills a node makes on its own, without the head: over the time limit, over the memory request. */
    static final Set<JobState> NODE_KILL_REASONS = EnumSet.of(JobState.TIMEOUT, JobState.OUT_OF_MEMORY);

    private final Clock clock;
    private final SchedulerSettings settings;
    private final EndedJobs ended;
    private final JobHistory history;
    private final AttemptTeardown teardown;
    /** Service instances that ended, for the services' reconciler to collect. */
    private final List<JobRecord> endedInstances = new java.util.ArrayList<>();
    /** Jobs requeued when their node went silent, whose attempt may yet end on its own there. */
    private final LateOutcomes late;
    /** Who named the cancels whose kills are under way: the CANCELLED they end in names them too. */
    final CancellingKills cancelling;

    JobEndings(Clock clock, SchedulerSettings settings, EndedJobs ended, JobHistory history,
            LingeringAttempts lingering) {
        this.clock = clock;
        this.teardown = new AttemptTeardown(clock, lingering);
        this.settings = settings;
        this.ended = ended;
        this.history = history;
        this.late = new LateOutcomes(history, this);
        this.cancelling = new CancellingKills(history);
    }

    /** The outcome of an attempt given up on, heard of before its job started again; see {@link LateOutcomes#end}. */
    Optional<Decisions> lateOutcome(JobTable jobs, JobRecord j, RunnerEvent.RunnerFinished f) {
        return late.end(jobs, j, f);
    }

    /**
     * The attempt's processes are gone; the state follows from why they were killed, or from the exit. Its record
     * takes what its processes used, as the coordinator that sends this measured it: this is the message that ends
     * the attempt, and the script ran there.
     *
     * @throws IllegalArgumentException when killedFor is no reason a kill is made for; nothing is changed
     */
    Decisions finished(JobTable jobs, JobRecord j, RunnerEvent.RunnerFinished f) {
        if (f.killedFor() != null && !KILL_REASONS.contains(f.killedFor())) {
            throw new IllegalArgumentException("runner-finished for job " + f.jobId() + " attempt " + f.attempt()
                    + " gives killedFor " + f.killedFor() + "; a node kills for one of " + KILL_REASONS);
        }
        if (f.killedFor() == JobState.NODE_FAIL) {
            // The node lost the attempt for a fault of its own (it could not make the attempt's cgroup): requeued as
            // after any node failure, not failed as the job's fault. No kill-job asks for NODE_FAIL while the
            // attempt is current, so nothing else ends this way.
            return nodeFailed(jobs, j, f.error() != null ? f.error() : "node " + f.nodeId() + " lost the attempt",
                    f.usage());
        }
        JobState endAs;
        if (f.killedFor() == JobState.REQUEUED && j.state() == JobState.COMPLETING
                && !j.reason().equals(JobState.REQUEUED.name())) {
            // Cancelled while being requeued: the node kept the first kill's reason, the user's last word decides.
            endAs = JobState.valueOf(j.reason());
        } else if (f.killedFor() != null) {
            endAs = f.killedFor();
        } else if (j.state() == JobState.COMPLETING) {
            // The kill and a natural exit crossed: the user's intent decides.
            endAs = JobState.valueOf(j.reason());
        } else if (f.exitCode() == 0 && f.signal() == 0) {
            endAs = JobState.COMPLETED;
        } else {
            endAs = JobState.FAILED;
        }
        Instant endedAt = endedAt(j.startTime(), f);
        if (endAs == JobState.REQUEUED) {
            return requeue(jobs, j, JobState.REQUEUED, "Requeued: by request", null, f.exitCode(), f.signal(),
                    endedAt, f.usage());
        }
        return end(jobs, j, endAs, reason(endAs, f), f.exitCode(), f.signal(), ownError(endAs, f), endedAt,
                f.usage());
    }

    /** The reason a job's end gives, as Slurm's: what ended it. */
    static String reason(JobState endAs, RunnerEvent.RunnerFinished f) {
        return switch (endAs) {
            case TIMEOUT -> "TimeLimit";
            case CANCELLED -> "CancelledByUser";
            case FAILED -> f.signal() != 0 ? "Signal" : "NonZeroExitCode";
            // The job's own failure, as FAILED: never requeued, and the error names what it used.
            case OUT_OF_MEMORY -> "OutOfMemory";
            default -> null;
        };
    }

    /** The node's error text, kept for the job's own failures alone. */
    static String ownError(JobState endAs, RunnerEvent.RunnerFinished f) {
        return endAs == JobState.FAILED || endAs == JobState.OUT_OF_MEMORY ? f.error() : null;
    }

    /**
     * When the attempt ended: the node's time, which a partition can put well before the head hears of it (sacct
     * would show the job running on until the link came back). Bounded by the head's clock: never before the
     * attempt started, never after now, so a node's clock that is off cannot make an elapsed time negative or future.
     */
    Instant endedAt(Instant started, RunnerEvent.RunnerFinished f) {
        Instant now = clock.instant();
        if (f.time() == null || f.time().isAfter(now)) {
            return now;
        }
        return started != null && f.time().isBefore(started) ? started : f.time();
    }

    /** Ends the job for good now, closing its current attempt if it has one, with no usage reported. */
    Decisions end(JobTable jobs, JobRecord j, JobState endAs, String reason, Integer exit,
            Integer signal, String error) {
        return end(jobs, j, endAs, reason, exit, signal, error, clock.instant(), null);
    }

    /**
     * Ends the job for good, its attempt closed as ended at {@code endedAt}.
     *
     * @param usage what the attempt's processes used, as its coordinator reported with the end; null when none did
     */
    Decisions end(JobTable jobs, JobRecord j, JobState endAs, String reason, Integer exit,
            Integer signal, String error, Instant endedAt, ResourceUsage usage) {
        return end(jobs, j, endAs, reason, exit, signal, error, endedAt, usage, null);
    }

    /**
     * A job that has not started (or is between attempts) cancelled now, by request.
     *
     * @param user who asked, kept with the job's end ({@link JobChange#cancelledBy}); null when nobody was named
     */
    Decisions cancelled(JobTable jobs, JobRecord j, String reason, String user) {
        return end(jobs, j, JobState.CANCELLED, reason, null, null, null, clock.instant(), null, user);
    }

    private Decisions end(JobTable jobs, JobRecord j, JobState endAs, String reason, Integer exit,
            Integer signal, String error, Instant endedAt, ResourceUsage usage, String cancelledBy) {
        Instant now = clock.instant();
        JobRecord done = j.ended(endAs, error == null ? reason : reason + ": " + error, exit, signal, endedAt);
        jobs.remove(j.id());
        late.forget(j.id());
        ended.noteEnd(done, done.array() != null && !jobs.hasArrayParts(done.array().arrayJobId()));
        if (done.spec().service() != null) {
            endedInstances.add(done);
        }
        String killOrderedBy = cancelling.ended(j.id(), endAs);
        Decisions d = new Decisions();
        d.change(new JobChange(done, j.state(), now, closedAttempt(j, endAs, exit, signal, error, endedAt,
                usage), cancelledBy != null ? cancelledBy : killOrderedBy));
        // The coordinator's script is over; what it started elsewhere (MPI daemons, ranks) must not outlive it.
        teardown.tearDown(d, j, false);
        return d;
    }

    /**
     * The node of the job's attempt stopped responding: as {@link #nodeFailed}, and a job of that one node that is
     * requeued is remembered, so that an end its script reaches there on its own may yet end it
     * ({@link LateOutcomes#end}). A job on several nodes is not: the kills of its other parts break its run.
     */
    Decisions nodeSilent(JobTable jobs, JobRecord j, String nodeId, String why) {
        Decisions d = nodeFailed(jobs, j, why);
        late.remember(j, jobs.get(j.id()), nodeId);
        return d;
    }

    /**
     * A node of the allocation failed: NODE_FAIL, or back to PENDING after a backoff while attempts remain.
     * Either way the attempt is killed on every node, the coordinator included: its mpirun would wait for the
     * lost node. The attempt limit is a budget for failures: attempts a user ended with scontrol requeue (as
     * Slurm's requeue, which spends no retry) do not count against it.
     */
    Decisions nodeFailed(JobTable jobs, JobRecord j, String why) {
        return nodeFailed(jobs, j, why, null);
    }

    /** As nodeFailed above, the attempt's record taking the usage its coordinator reported with the end. */
    private Decisions nodeFailed(JobTable jobs, JobRecord j, String why, ResourceUsage usage) {
        Instant now = clock.instant();
        if (j.state() == JobState.COMPLETING) {
            // The job was being stopped anyway; it ends as the user or the time limit asked.
            JobState asked = JobState.valueOf(j.reason());
            if (asked == JobState.REQUEUED) {
                // The attempt ended at the user's request, as its record says: a late end its node reports then
                // does not end the job (LateOutcomes), and it spends none of the job's attempts.
                return teardown.withCoordinatorKilled(requeue(jobs, j, JobState.REQUEUED, "Requeued: by request",
                        why, null, null, now, usage), j);
            }
            return teardown.withCoordinatorKilled(end(jobs, j, asked, "NodeFail", null, null, why, now, usage), j);
        }
        if (j.attempt() - history.requeuesByRequest(j.id()) >= j.spec().attemptLimit()) {
            return teardown.withCoordinatorKilled(end(jobs, j, JobState.NODE_FAIL, "NodeFail", null, null, why, now,
                    usage), j);
        }
        return requeue(jobs, j, JobState.NODE_FAIL, "NodeFail: " + why, why, null, null, now, usage);
    }

    /**
     * Closes the attempt as attemptState and queues the job again. After a node failure it waits a backoff that
     * doubles with each attempt (capped), so a job that breaks its nodes cannot cycle through them at full speed.
     */
    Decisions requeue(JobTable jobs, JobRecord j, JobState attemptState, String why, String error, Integer exit,
            Integer signal) {
        return requeue(jobs, j, attemptState, why, error, exit, signal, clock.instant(), null);
    }

    private Decisions requeue(JobTable jobs, JobRecord j, JobState attemptState, String why, String error,
            Integer exit, Integer signal, Instant endedAt, ResourceUsage usage) {
        Instant now = clock.instant();
        cancelling.ended(j.id(), attemptState);
        Decisions d = new Decisions();
        teardown.tearDown(d, j, attemptState == JobState.NODE_FAIL);
        // Only failures double it: requeues the user asked for are not the nodes' fault.
        Instant notBefore = attemptState == JobState.NODE_FAIL
                ? now.plus(settings.backoffAfter(j.attempt() - history.requeuesByRequest(j.id()))) : null;
        JobRecord requeued = j.requeued(why, notBefore);
        d.change(new JobChange(requeued, j.state(), now, closedAttempt(j, attemptState, exit, signal, error,
                endedAt, usage)));
        JobRecord pending = requeued.withState(JobState.PENDING, notBefore == null ? "Requeued" : "BeginTime");
        d.change(new JobChange(pending, JobState.REQUEUED, now, null));
        jobs.put(pending);
        return d;
    }

    /** The tasks an array that has ended had (its --array), or null when the store has no such array. */
    ArrayIndexes arrayTaskIds(long arrayJobId) {
        return history.arrayTaskIds(arrayJobId).orElse(null);
    }

    /** Which array a job that has ended is a task or part of; null when none, or when the store has no such job. */
    ArrayPart storedArrayPart(long jobId) {
        return history.arrayPartOf(jobId).orElse(null);
    }

    /** The service instances that ended since the last call. */
    List<JobRecord> takeEndedInstances() {
        List<JobRecord> out = List.copyOf(endedInstances);
        endedInstances.clear();
        return out;
    }

    private static AttemptRecord closedAttempt(JobRecord j, JobState state, Integer exit, Integer signal,
            String error, Instant now, ResourceUsage usage) {
        if (j.attempt() == 0 || j.allocation() == null) {
            return null;
        }
        return new AttemptRecord(j.id(), j.attempt(), j.allocation().hostnames(), j.startTime(), now, state, exit,
                signal, error, usage);
    }
}
