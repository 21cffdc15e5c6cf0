package dev.cadre.scheduler.core;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.FairShare;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * One placement pass of {@link SchedulerCore} over its jobs and nodes: leaves out jobs that may not start yet
 * ({@link Eligibility}), lets the configured {@link PlacementPolicy} place the rest, starts what it placed and
 * writes why the others wait. Keeps what the last pass found for the jobs admitted before the next.
 */
final class PlacementPass {
    private final PlacementPolicy policy;
    private final boolean cancelNeverSatisfied;
    private final BiFunction<Long, Integer, String> execTokens;
    private final JobTable jobs;
    private final Eligibility eligibility;
    private final NodeLiveness nodes;
    private final JobEndings endings;
    private final LingeringAttempts lingering;
    private final LongSupplier ids;
    private final AdvanceReservations reservations;
    private final Partitions partitions;
    /** The head's, which each place-job carries. */
    private final Duration nodeTimeout;
    /** What the last pass said of the jobs it did not look at; see {@link #reasonForNewJob}. */
    private String newcomersWait;
    /** Whether the last pass left a job that could run waiting for room; see {@link #backlogged}. */
    private boolean backlogged;
    /** The pending jobs the policy read in the last pass (sdiag's depth). */
    private int lastDepth;
    /** The users' fair-share points, as the head last worked them out. */
    private FairShare shares = FairShare.NONE;
    /** Off only in the test that checks the lazy reading decides as the full one does. */
    private boolean readsQueueLazily = true;

    PlacementPass(SchedulerSettings settings, BiFunction<Long, Integer, String> execTokens, JobTable jobs,
            Eligibility eligibility, NodeLiveness nodes, JobEndings endings, LingeringAttempts lingering,
            LongSupplier ids, AdvanceReservations reservations, Partitions partitions) {
        this.policy = settings.policy().create(settings);
        this.cancelNeverSatisfied = settings.cancelNeverSatisfied();
        this.execTokens = execTokens;
        this.jobs = jobs;
        this.eligibility = eligibility;
        this.nodes = nodes;
        this.endings = endings;
        this.lingering = lingering;
        this.ids = ids;
        this.reservations = reservations;
        this.partitions = partitions;
        this.nodeTimeout = settings.nodeTimeout();
    }

    void readQueueInFull() {
        readsQueueLazily = false;
    }

    void fairShare(FairShare shares) {
        this.shares = shares;
    }

    FairShare fairShare() {
        return shares;
    }

    /** Starts what may start and fits, and records why the rest wait. */
    Decisions run(Instant now) {
        // First, so that no policy places a job that could no longer end by its deadline.
        Decisions d = Deadlines.endMissed(jobs, endings, now);
        if (jobs.pending().isEmpty()) {
            backlogged = false;
            lastDepth = 0;
            return d;
        }
        Map<Long, Integer> activeTasks = jobs.activeTasksByArray();
        eligibility.newPass();
        PassCandidates candidates = PassCandidates.of(jobs, eligibility, now, nodes::unavailableNames,
                nodes.undrainedIdle(), activeTasks, readsQueueLazily, shares,
                partitions.mayHoldBack() ? partitions : null);
        Map<Long, String> reasons = candidates.reasons();
        // Stored with the relabelling or start that follows, as the job's reason changes either way.
        for (JobRecord j : candidates.nowEligible()) {
            jobs.put(j.withEligibleTime(now));
        }
        for (JobRecord j : candidates.hopeless()) {
            if (cancelsWhenNeverSatisfied(j.spec())) {
                d.addAll(endings.end(jobs, j, JobState.CANCELLED, Eligibility.NEVER_SATISFIED, null, null, null));
            } else {
                reasons.put(j.id(), Eligibility.NEVER_SATISFIED);
            }
        }
        endHopelessTasks(d, reasons, now);
        Map<Long, Integer> readyLeft = new HashMap<>(candidates.readyByTask());
        int[] read = {0};
        Iterable<PlacementPolicy.Candidate> counted = () -> counting(candidates.queue().iterator(), read);
        FreeResources free = nodes.freeResources(jobs).reservedBy(reservations.nodes(), now)
                .fencedBy(partitions.fence());
        PlacementPolicy.Result result = policy.place(counted, free, releases(now), now);
        lastDepth = read[0];
        newcomersWait = result.othersWait();
        backlogged = !result.waitReasons().isEmpty();
        for (Placement p : result.placements()) {
            start(d, p, now, activeTasks, readyLeft);
        }
        AdvanceReservations.WithoutMaintenance unreserved = new AdvanceReservations.WithoutMaintenance(free);
        result.waitReasons().forEach((id, why) -> reasons.put(id, maintenanceOr(id, why, unreserved)));
        for (Placement p : result.placements()) {
            JobRecord left = jobs.get(p.jobId());
            if (left != null && left.state() == JobState.PENDING
                    && PassCandidates.copies(left, activeTasks, readyLeft) == 0) {
                boolean noneReady = readyLeft.getOrDefault(left.id(), 1) == 0;
                reasons.put(left.id(), PassCandidates.oneAtATime(left) || noneReady ? Eligibility.DEPENDENCY
                        : "JobArrayTaskLimit");
            }
        }
        for (var e : reasons.entrySet()) {
            JobRecord j = jobs.get(e.getKey());
            if (j != null && j.state() == JobState.PENDING) {
                relabel(d, j, e.getValue(), now);
            }
        }
        for (Long id : jobs.pendingWithReasonOtherThan(result.othersWait())) {
            if (!reasons.containsKey(id)) {
                relabel(d, jobs.get(id), result.othersWait(), now);
            }
        }
        return d;
    }

    /**
     * Splits off, one by one, the pending tasks whose aftercorr can never hold, and ends each CANCELLED
     * (DependencyNeverSatisfied) or keeps it apart, pending with that reason, as the policy says; the other tasks
     * of their records go on waiting or starting.
     */
    private void endHopelessTasks(Decisions d, Map<Long, String> reasons, Instant now) {
        CorrespondingTasks corresponding = eligibility.corresponding();
        for (var e : List.copyOf(eligibility.byTask().entrySet())) {
            for (int task : e.getValue().never()) {
                JobRecord holder = jobs.get(e.getKey());
                if (holder == null || holder.array() == null || holder.array().pending() == null
                        || !holder.array().pending().contains(task)) {
                    continue;
                }
                JobRecord alone = ArraySplits.split(holder, task, ids, d, jobs, now);
                corresponding.left(holder.array().arrayJobId(), task);
                if (cancelsWhenNeverSatisfied(alone.spec())) {
                    reasons.remove(alone.id());
                    d.addAll(endings.end(jobs, alone, JobState.CANCELLED, Eligibility.NEVER_SATISFIED, null, null,
                            null));
                } else {
                    reasons.put(alone.id(), Eligibility.NEVER_SATISFIED);
                }
            }
        }
    }

    private boolean cancelsWhenNeverSatisfied(JobSpec spec) {
        return spec.killOnInvalidDependency() != null ? spec.killOnInvalidDependency()
                : cancelNeverSatisfied;
    }

    /**
     * When each job holding nodes gives them back: a job being stopped at once, others at their time limit. A
     * suspended job has none: its cores are free already ({@link FreeResources#takeSuspended}), and its memory and
     * GPUs stay taken for as long as a plan looks, since nobody knows when it is resumed.
     */
    List<Release> releases(Instant now) {
        List<Release> out = new ArrayList<>(jobs.active().size());
        for (JobRecord j : jobs.active()) {
            if (j.state() == JobState.SUSPENDED) {
                continue;
            }
            Instant at = j.state() == JobState.COMPLETING || j.startTime() == null ? now
                    : j.limitStart(now).plus(Release.limitOf(j.spec()));
            out.add(new Release(at, j.allocation(), j.spec().wholeNodes()));
        }
        lingering.addReleases(out, now);
        return out;
    }

    /**
     * Starts a placed job; an array's record gives its lowest pending task (under aftercorr its lowest ready one),
     * split off unless it is the last.
     */
    private void start(Decisions d, Placement p, Instant now, Map<Long, Integer> activeTasks,
            Map<Long, Integer> readyLeft) {
        JobRecord j = jobs.get(p.jobId());
        if (j.array() != null && j.array().pending() != null) {
            if (readyLeft.containsKey(j.id())) {
                // aftercorr: the lowest task whose partner completed, which need not be the lowest pending.
                int task = eligibility.corresponding().takeReady(j);
                if (task < 0) {
                    return;
                }
                readyLeft.merge(j.id(), -1, Integer::sum);
                j = ArraySplits.next(j, task, ids, d, jobs, now);
            } else {
                j = ArraySplits.next(j, ids, d, jobs, now);
            }
        }
        if (j.array() != null) {
            activeTasks.merge(j.array().arrayJobId(), 1, Integer::sum);
        }
        int attempt = j.attempt() + 1;
        JobSpec limited = Deadlines.limitedAtStart(j.spec(), now);
        JobSpec inReservation = reservations.nodes().limitedAtStart(limited == null ? j.spec() : limited, now);
        limited = inReservation == null ? limited : inReservation;
        String startedIn = partitions.fence().startedIn(j.spec(),
                p.allocation().nodes().stream().map(Allocation.NodeSlots::hostname).toList());
        if (startedIn != null) {
            limited = (limited == null ? j.spec() : limited).toBuilder().partition(startedIn).build();
        }
        JobRecord started = (limited == null ? j : j.withSpec(limited)).started(attempt, p.allocation(), now);
        jobs.put(started);
        if (limited != null) {
            d.respec(started);
        }
        d.change(new JobChange(started, j.state(), now, new AttemptRecord(j.id(), attempt,
                p.allocation().hostnames(), now, null, JobState.RUNNING, null, null, null)));
        NodeMessages.place(started, execTokens, nodeTimeout).forEach(d::send);
    }

    /**
     * A job waiting for room that only nodes down for maintenance keep from starting says so, as slurmctld's
     * "ReqNodeNotAvail, Reserved for maintenance"; other reasons stay.
     */
    private String maintenanceOr(long id, String why, AdvanceReservations.WithoutMaintenance unreserved) {
        JobRecord j = jobs.get(id);
        return "Resources".equals(why) && j != null && unreserved.keptOnlyByMaintenance(j.spec())
                ? AdvanceReservations.MAINTENANCE : why;
    }

    /** Counts, in {@code read[0]}, the candidates a policy takes: it may stop long before the queue's end. */
    private static Iterator<PlacementPolicy.Candidate> counting(Iterator<PlacementPolicy.Candidate> queue, int[] read) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return queue.hasNext();
            }

            @Override
            public PlacementPolicy.Candidate next() {
                read[0]++;
                return queue.next();
            }
        };
    }

    /** The pending jobs the policy read in the last pass. */
    int lastDepth() {
        return lastDepth;
    }

    /** See {@link SchedulerCore#reasonForNewJob}. */
    String reasonForNewJob() {
        return newcomersWait != null && !jobs.pending().isEmpty() ? newcomersWait : "None";
    }

    /** See {@link SchedulerCore#backlogged}. */
    boolean backlogged() {
        return backlogged;
    }

    private void relabel(Decisions d, JobRecord j, String reason, Instant now) {
        if (!reason.equals(j.reason())) {
            JobRecord waiting = j.withState(JobState.PENDING, reason);
            jobs.put(waiting);
            d.change(new JobChange(waiting, JobState.PENDING, now, null));
        }
    }
}
