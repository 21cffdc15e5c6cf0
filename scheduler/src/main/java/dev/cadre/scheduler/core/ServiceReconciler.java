package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.ServiceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The services' reconciler, as pure functions from a service and its instances to decisions. Instances that
 * end are failures unless they ran healthily for a while or were stopped on purpose; each failure in a row
 * doubles the wait before the next placement (capped), and a run of failures as long as the service's budget
 * stops re-placing altogether (FAILED), so a broken service cannot churn the cluster for ever.
 */
public final class ServiceReconciler {
    /** An instance that ran this long was healthy: its end starts a new run of failures. */
    public static final Duration HEALTHY_AFTER = Duration.ofSeconds(60);
    static final Duration BACKOFF = Duration.ofSeconds(1);
    static final Duration BACKOFF_CAP = Duration.ofMinutes(5);

    private ServiceReconciler() {
    }

    /**
     * @param start how many new instances to create now
     * @param cancel instances to stop
     * @param forget true once a deleted service has no instance left
     */
    public record Plan(ServiceRecord service, int start, List<Long> cancel, boolean forget) {
    }

    /** The wait before the next placement after this many failures in a row: 1 s, 2 s, 4 s ... up to 5 min. */
    static Duration backoff(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 20));
        Duration d = BACKOFF.multipliedBy(1L << doublings);
        return d.compareTo(BACKOFF_CAP) > 0 ? BACKOFF_CAP : d;
    }

    /** An instance ended. A cancelled one (by a user, or by the reconciler) is replaced at once, uncounted. */
    public static ServiceRecord instanceEnded(ServiceRecord s, JobRecord ended, Instant now) {
        if (!s.state().equals(ServiceRecord.ACTIVE) || ended.state() == JobState.CANCELLED) {
            return s;
        }
        boolean healthy = ended.startTime() != null && ended.endTime() != null
                && !Duration.between(ended.startTime(), ended.endTime()).minus(HEALTHY_AFTER).isNegative();
        int failures = healthy ? 1 : s.consecutiveFailures() + 1;
        String error = "instance " + ended.id() + " ended " + ended.state()
                + (ended.reason() == null ? "" : " (" + ended.reason() + ")")
                + (ended.exitCode() == null || ended.exitCode() == 0 ? "" : ", exit code " + ended.exitCode())
                + (ended.allocation() == null ? "" : " on " + ended.allocation().hostnames());
        String state = failures >= s.spec().failureBudget() ? ServiceRecord.FAILED : s.state();
        return s.with(state, failures, error, now.plus(backoff(failures)), s.launched());
    }

    /** What to do now, given the service's unfinished instances. */
    public static Plan reconcile(ServiceRecord s, List<JobRecord> instances, Instant now) {
        List<JobRecord> live = instances.stream().filter(j -> j.state() != JobState.COMPLETING).toList();
        if (s.state().equals(ServiceRecord.DELETING)) {
            return new Plan(s, 0, live.stream().map(JobRecord::id).toList(), instances.isEmpty());
        }
        ServiceRecord next = s;
        boolean healthyNow = live.stream().anyMatch(j -> j.state() == JobState.RUNNING && j.startTime() != null
                && !j.startTime().plus(HEALTHY_AFTER).isAfter(now));
        if (healthyNow && s.consecutiveFailures() > 0 && s.state().equals(ServiceRecord.ACTIVE)) {
            next = s.with(s.state(), 0, s.lastError(), null, s.launched());
        }
        int replicas = s.spec().replicas();
        List<Long> cancel = new ArrayList<>();
        if (live.size() > replicas) {
            // Scale down from the newest: the oldest instances have proved themselves.
            live.stream().sorted(Comparator.comparingLong(JobRecord::id).reversed()).limit(live.size() - replicas)
                    .forEach(j -> cancel.add(j.id()));
        }
        int start = 0;
        boolean due = next.nextAttempt() == null || !now.isBefore(next.nextAttempt());
        if (next.state().equals(ServiceRecord.ACTIVE) && due && instances.size() < replicas) {
            start = replicas - instances.size();
            next = next.with(next.state(), next.consecutiveFailures(), next.lastError(), next.nextAttempt(),
                    next.launched() + start);
        }
        return new Plan(next, start, cancel, false);
    }
}
