package dev.cadre.scheduler.core;

import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Why a pending job may not start yet, whatever the free resources, in Slurm's reason names and order of
 * precedence: held, not yet begun (or backing off after a node failure), waiting on dependencies, waiting for its
 * advance reservation to begin (or its reservation gone), naming a node that is down, drained or unknown, or its
 * array at its throttle. Pure apart from the ended-job lookups.
 */
final class Eligibility {
    static final String DEPENDENCY = "Dependency";
    static final String NEVER_SATISFIED = "DependencyNeverSatisfied";
    static final String REQ_NODE_NOT_AVAIL = "ReqNodeNotAvail";

    private final DependencyCheck dependencies;
    private final CorrespondingTasks corresponding;
    private final AdvanceReservations reservations;
    /** What this pass found of the records whose tasks aftercorr judges one by one, by record id. */
    private final Map<Long, CorrespondingTasks.Verdict> byTask = new HashMap<>();
    /** Parsed dependency texts: many jobs share one, and a pass judges each waiting job again. */
    private final Map<String, Dependencies> parsed = new HashMap<>();

    Eligibility(DependencyCheck dependencies, CorrespondingTasks corresponding, AdvanceReservations reservations) {
        this.dependencies = dependencies;
        this.corresponding = corresponding;
        this.reservations = reservations;
    }

    CorrespondingTasks corresponding() {
        return corresponding;
    }

    /** A pass begins: what the last found of tasks judged one by one no longer holds. */
    void newPass() {
        byTask.clear();
        corresponding.forgetFinished();
    }

    /**
     * The records of this pass whose aftercorr tasks were judged one by one: how many of their tasks may start,
     * and which never can. A record that may start offers no more copies than it has ready tasks.
     */
    Map<Long, CorrespondingTasks.Verdict> byTask() {
        return byTask;
    }

    private Dependencies parsed(String text) {
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(text, Dependencies::parse);
    }

    /**
     * Whether the job has anything that could keep it back; most jobs have not, and skip {@link #reason}. An
     * eligible time is a backoff only after an attempt (a requeue sets it); before any, it is the past moment the
     * job became eligible, which keeps nothing back and must not cost a released job the queue's plain order.
     */
    static boolean mayBeHeldBack(JobRecord j) {
        JobSpec s = j.spec();
        return s.hold() != null || s.beginTime() != null || s.dependency() != null
                || j.eligibleTime() != null && j.attempt() > 0 || s.nodelist() != null || j.array() != null
                || s.reservation() != null;
    }

    /** JobHeldAdmin or JobHeldUser for a spec's hold, null for none: squeue's reason from the hold alone. */
    static String holdReason(String hold) {
        if (hold == null) {
            return null;
        }
        return hold.equals(JobSpec.HOLD_ADMIN) ? "JobHeldAdmin" : "JobHeldUser";
    }

    /**
     * Whether a job that waited with the stored reason became eligible, in Slurm's sense, now that a pass gives it
     * this one (null: it may start): its hold or dependency is over, and neither holds it back any more. Waiting
     * for --begin or a backoff is left out: the job's begin or eligible time already says when that ended.
     */
    static boolean becameEligible(String stored, String now) {
        boolean waited = "JobHeldUser".equals(stored) || "JobHeldAdmin".equals(stored) || DEPENDENCY.equals(stored);
        return waited && (now == null || !(now.startsWith("JobHeld") || now.equals("BeginTime")
                || now.startsWith(DEPENDENCY)));
    }

    /**
     * @param unavailableNodes whether a host name or node id names a node that is not up, is drained, or is
     *        not known
     * @param activeTasks array tasks holding nodes, by array id
     * @return the reason it waits, or null when it may start now
     */
    String reason(JobRecord j, Instant now, Predicate<String> unavailableNodes, Map<Long, Integer> activeTasks) {
        JobSpec s = j.spec();
        if (s.hold() != null) {
            // The hold of a job whose reservation went keeps saying so until released, as Slurm's WAIT_RESV_DELETED.
            boolean gone = AdvanceReservations.saysDeleted(j.reason()) && JobSpec.HOLD_USER.equals(s.hold());
            return gone ? j.reason() : holdReason(s.hold());
        }
        if (s.beginTime() != null && s.beginTime().isAfter(now)
                || j.eligibleTime() != null && j.eligibleTime().isAfter(now)) {
            return "BeginTime";
        }
        if (s.dependency() != null) {
            Dependencies deps = parsed(s.dependency());
            DependencyCheck.Status status = dependencies.status(j, deps, now);
            switch (status) {
                case WAITING -> {
                    return DEPENDENCY;
                }
                case NEVER -> {
                    return NEVER_SATISFIED;
                }
                case BY_TASK, BY_TASK_NEVER_WAITS -> {
                    CorrespondingTasks.Verdict v = corresponding.judge(j, deps,
                            status == DependencyCheck.Status.BY_TASK, now);
                    byTask.put(j.id(), v);
                    if (v.ready() == 0) {
                        // Tasks that never can are split off and ended (or kept) by the pass; the rest wait.
                        return DEPENDENCY;
                    }
                }
                default -> { }
            }
        }
        if (s.reservation() != null) {
            String why = reservations.waitReason(s, now);
            if (why != null) {
                return why;
            }
        }
        if (s.nodelist() != null && s.requiredHosts().stream().anyMatch(unavailableNodes)) {
            return REQ_NODE_NOT_AVAIL;
        }
        if (j.array() != null && !s.arraySpec().allowsAnother(activeTasks.getOrDefault(j.array().arrayJobId(), 0))) {
            return "JobArrayTaskLimit";
        }
        return null;
    }
}
