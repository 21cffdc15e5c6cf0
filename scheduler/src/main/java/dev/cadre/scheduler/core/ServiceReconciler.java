package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ServiceRecord;
import dev.cadre.protocol.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services' reconciler, as pure functions from a service and its instances to decisions. An instance that
 * ends young (under a minute) is a failure, unless it was cancelled, lost with its node, or started before the
 * last failure counted (it fell in the same round: ten replicas crashing together are one failure). Each
 * failure in a row doubles the wait before the next placement (capped), and a run of failures as long as the
 * service's budget stops re-placing altogether (FAILED), so a broken service cannot churn the cluster for ever.
 * The run ends when an instance started after the last failure has run a minute: healthy siblings that were
 * already running prove nothing about the one that keeps failing. How long an instance ran is judged by its nodes'
 * last word ({@link NodeTimes}): the head declares a silent node lost a whole node timeout (a minute by default)
 * after it last heard from it, and an instance on a node gone silent proves nothing.
 * <p>
 * An instance lost with its node (NODE_FAIL) is counted apart, against a larger budget (three times the failure
 * budget), with the same backoff: nodes die of their own causes, but an instance that takes its node down must
 * not walk through the cluster for ever. Instances on a drained node are moved: replaced elsewhere, then
 * stopped ({@link DrainMoves}), spending nothing and leaving the last error alone: a move is no failure.
 */
public final class ServiceReconciler {
    /** An instance that ran this long was healthy: its end is no failure. */
    public static final Duration HEALTHY_AFTER = Duration.ofSeconds(60);
    /** How lastError starts while the known nodes could never hold an instance; cleared once they could. */
    public static final String CANNOT_START = "no instance can ever start on the known nodes: ";
    static final Duration BACKOFF = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofMinutes(5);

    private ServiceReconciler() {
    }

    /**
     * @param start how many new instances to create now
     * @param cancel instances to stop
     * @param forget true once a deleted service has no instance left
     * @param moved what the cancels that move instances off drained nodes do, for the log; empty when none
     */
    public record Plan(ServiceRecord service, int start, List<Long> cancel, boolean forget, String moved) {
    }

    /** The wait before the next placement after this many failures in a row: 1 s, 2 s, 4 s ... up to 5 min. */
    static Duration backoff(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 20));
        Duration d = BACKOFF.multipliedBy(1L << doublings);
        return d.compareTo(BACKOFF_CAP) > 0 ? BACKOFF_CAP : d;
    }

    /** An instance ended, judged with no node known. */
    public static ServiceRecord instanceEnded(ServiceRecord s, JobRecord ended, Instant now) {
        return instanceEnded(s, ended, NodeTimes.NONE, now);
    }

    /** An instance ended: counted as a failure, or only recorded, or (a cancel) replaced at once. */
    public static ServiceRecord instanceEnded(ServiceRecord s, JobRecord ended, NodeTimes nodes, Instant now) {
        if (!s.state().equals(ServiceRecord.ACTIVE)) {
            return s;
        }
        if (ended.state() == JobState.CANCELLED) {
            return s.withReplaceAtOnce(s.replaceAtOnce() + 1);
        }
        ServiceRecord recorded = s.withLastError(describe(ended));
        boolean sameRound = !startedAfterLastFailure(s, ended);
        if (ranHealthily(ended, nodes)) {
            return sameRound ? recorded
                    : recorded.withFailures(0, s.lastFailure(), s.nextAttempt()).withNodeFailures(0);
        }
        if (sameRound) {
            return recorded;
        }
        if (ended.state() == JobState.NODE_FAIL) {
            // The node's loss, which must not spend the budget of the instance's own failures; but it may be the
            // instance that took the node down, so it is counted apart and waits as a failure does.
            int lost = s.nodeFailures() + 1;
            ServiceRecord counted = recorded.withFailures(s.consecutiveFailures(), now, now.plus(backoff(lost)))
                    .withNodeFailures(lost);
            return lost < s.spec().nodeFailureBudget() ? counted : counted.withState(ServiceRecord.FAILED)
                    .withLastError(lost + " rounds in a row of instances lost with their node (the node-failure"
                            + " budget, " + ServiceSpec.NODE_FAILURE_BUDGET_FACTOR + " x the failure budget): the"
                            + " instance may be what takes its node down; last: " + describe(ended));
        }
        int failures = s.consecutiveFailures() + 1;
        ServiceRecord counted = recorded.withFailures(failures, now, now.plus(backoff(failures)));
        return failures >= s.spec().failureBudget() ? counted.withState(ServiceRecord.FAILED) : counted;
    }

    /** What to do now, given the service's unfinished instances, with no node drained. */
    public static Plan reconcile(ServiceRecord s, List<JobRecord> instances,
            Optional<JobSpecValidator.Problem> cannotStart, Instant now) {
        return reconcile(s, instances, cannotStart, NodeTimes.NONE, now);
    }

    /**
     * What to do now, given the service's unfinished instances.
     *
     * @param cannotStart why the known nodes could never hold an instance, when the caller asked because an
     *        instance waits or is to be created; empty otherwise
     * @param nodes the drained nodes, and when each node was last heard from
     */
    public static Plan reconcile(ServiceRecord s, List<JobRecord> instances,
            Optional<JobSpecValidator.Problem> cannotStart, NodeTimes nodes, Instant now) {
        List<JobRecord> live = instances.stream().filter(j -> j.state() != JobState.COMPLETING).toList();
        if (s.state().equals(ServiceRecord.DELETING)) {
            return new Plan(s, 0, live.stream().map(JobRecord::id).toList(), instances.isEmpty(), "");
        }
        Map<String, Instant> drainedSince = nodes.drainedSince();
        ServiceRecord next = s;
        // Still RUNNING on a node silent since is no proof: the node may be gone, with the instance.
        boolean provedHealthy = live.stream().anyMatch(j -> j.state() == JobState.RUNNING && j.startTime() != null
                && startedAfterLastFailure(s, j)
                && !j.startTime().plus(HEALTHY_AFTER).isAfter(nodes.heardUntil(j, now)));
        if (provedHealthy && (s.consecutiveFailures() > 0 || s.nodeFailures() > 0)
                && s.state().equals(ServiceRecord.ACTIVE)) {
            // The backoff stays: it only ever delays placements that are already due.
            next = next.withFailures(0, s.lastFailure(), s.nextAttempt()).withNodeFailures(0);
        }
        next = withStartProblem(next, cannotStart);
        int replicas = s.spec().replicas();
        DrainMoves moves = DrainMoves.of(live, drainedSince);
        List<Long> cancel = new ArrayList<>();
        List<JobRecord> staying = live.stream().filter(j -> !moves.leaving().contains(j)).toList();
        if (staying.size() > replicas) {
            // Scale down from the newest: the oldest instances have proved themselves. What leaves a drained node
            // needs no replacement then.
            moves.leaving().forEach(j -> cancel.add(j.id()));
            staying.stream().sorted(Comparator.comparingLong(JobRecord::id).reversed())
                    .limit(staying.size() - replicas).forEach(j -> cancel.add(j.id()));
        }
        List<JobRecord> moving = moves.leaving().stream().filter(j -> !cancel.contains(j.id())).toList();
        // An instance leaving a drained node is no instance of the service's any more: its replacement starts now.
        int missing = replicas - (instances.size() - moving.size());
        int start = 0;
        if (next.state().equals(ServiceRecord.ACTIVE) && missing > 0) {
            boolean due = next.nextAttempt() == null || !now.isBefore(next.nextAttempt());
            start = due ? missing : Math.min(missing, next.replaceAtOnce() + moving.size());
        }
        DrainMoves.Stops stopped = moves.stopNow(moving, live, cancel, replicas, drainedSince, now);
        stopped.all().forEach(j -> cancel.add(j.id()));
        // Cancels not replaced in this round were not missed (a scale-down's): they must not skip a later backoff.
        next = next.withLaunched(next.launched() + start).withReplaceAtOnce(0);
        return new Plan(next, start, cancel, false, stopped.describe());
    }

    /**
     * update-service: the new counts. Only a reset starts the failure counts and backoff afresh, and turns a
     * FAILED service ACTIVE: a new replica count fixes nothing that made instances fail, and an automation that
     * re-applies its count must not hide a service that keeps failing. A new budget judges the counts again.
     */
    public static ServiceRecord updated(ServiceRecord s, Integer replicas, Integer failureBudget, boolean reset) {
        ServiceRecord after = s.withSpec(s.spec().updated(replicas, failureBudget));
        if (reset) {
            return after.withState(ServiceRecord.ACTIVE).withFailures(0, s.lastFailure(), null).withNodeFailures(0);
        }
        if (failureBudget == null) {
            return after;
        }
        boolean spent = after.consecutiveFailures() >= after.spec().failureBudget()
                || after.nodeFailures() >= after.spec().nodeFailureBudget();
        return after.withState(spent ? ServiceRecord.FAILED : ServiceRecord.ACTIVE);
    }

    private static ServiceRecord withStartProblem(ServiceRecord s, Optional<JobSpecValidator.Problem> cannotStart) {
        if (cannotStart.isPresent()) {
            String error = CANNOT_START + cannotStart.get();
            return error.equals(s.lastError()) ? s : s.withLastError(error);
        }
        return s.lastError() != null && s.lastError().startsWith(CANNOT_START) ? s.withLastError(null) : s;
    }

    /**
     * A NODE_FAIL's end time is when the head gave the node up, a node timeout after its last word: the instance
     * ran only as long as its nodes were heard from. Every other end was reported by the node as it happened.
     */
    private static boolean ranHealthily(JobRecord ended, NodeTimes nodes) {
        if (ended.startTime() == null || ended.endTime() == null) {
            return false;
        }
        Instant until = ended.state() == JobState.NODE_FAIL ? nodes.heardUntil(ended, ended.endTime())
                : ended.endTime();
        return !Duration.between(ended.startTime(), until).minus(HEALTHY_AFTER).isNegative();
    }

    /** Started, or created if it never started, after the last counted failure: a new round. */
    private static boolean startedAfterLastFailure(ServiceRecord s, JobRecord j) {
        Instant began = j.startTime() != null ? j.startTime() : j.submitTime();
        return s.lastFailure() == null || began == null || began.isAfter(s.lastFailure());
    }

    static String describe(JobRecord ended) {
        return "instance " + ended.id() + " ended " + ended.state()
                + (ended.reason() == null ? "" : " (" + ended.reason() + ")")
                + (ended.exitCode() == null || ended.exitCode() == 0 ? "" : ", exit code " + ended.exitCode())
                + (ended.allocation() == null ? "" : " on " + ended.allocation().hostnames());
    }
}
