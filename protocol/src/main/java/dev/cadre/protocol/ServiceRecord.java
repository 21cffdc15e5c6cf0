package dev.cadre.protocol;

import java.time.Instant;

/**
 * A service as stored, with what its reconciler has seen.
 *
 * @param state ACTIVE (instances are kept running), FAILED (the failure budget is spent; nothing is re-placed)
 *        or DELETING (instances are being stopped; the service goes once none is left)
 * @param consecutiveFailures rounds of failures in a row since an instance started after the last of them ran
 *        healthily
 * @param lastError how the last instance that was not cancelled ended, or why no instance can start
 * @param nextAttempt no instance is placed before this time (the backoff after a failure), but the replacement
 *        of a cancelled one; null for at once
 * @param launched instances created so far, which numbers the next one's submission key
 * @param lastFailure when the last counted failure was: instances that started before it end in the same round
 *        and count no more; null before any
 * @param replaceAtOnce cancelled instances to replace in the next round whatever the backoff
 * @param nodeFailures rounds in a row in which an instance was lost with its node (NODE_FAIL), counted apart
 *        against {@link ServiceSpec#nodeFailureBudget()}: an instance that takes its node down must not walk
 *        the cluster for ever, but a real node loss must not spend the budget of the instance's own failures
 */
public record ServiceRecord(ServiceSpec spec, String state, int consecutiveFailures, String lastError,
        Instant nextAttempt, long launched, Instant created, Instant lastFailure, int replaceAtOnce,
        int nodeFailures) {
    public static final String ACTIVE = "ACTIVE";
    public static final String FAILED = "FAILED";
    public static final String DELETING = "DELETING";

    /** A service just created: ACTIVE, nothing launched or failed yet. */
    public static ServiceRecord created(ServiceSpec spec, Instant now) {
        return new ServiceRecord(spec, ACTIVE, 0, null, null, 0, now, null, 0, 0);
    }

    public String name() {
        return spec.name();
    }

    public ServiceRecord withSpec(ServiceSpec newSpec) {
        return new ServiceRecord(newSpec, state, consecutiveFailures, lastError, nextAttempt, launched, created,
                lastFailure, replaceAtOnce, nodeFailures);
    }

    public ServiceRecord withState(String newState) {
        return new ServiceRecord(spec, newState, consecutiveFailures, lastError, nextAttempt, launched, created,
                lastFailure, replaceAtOnce, nodeFailures);
    }

    public ServiceRecord withLastError(String error) {
        return new ServiceRecord(spec, state, consecutiveFailures, error, nextAttempt, launched, created,
                lastFailure, replaceAtOnce, nodeFailures);
    }

    /** The failure count and backoff after a failure counted now, or after a reset. */
    public ServiceRecord withFailures(int failures, Instant failedAt, Instant next) {
        return new ServiceRecord(spec, state, failures, lastError, next, launched, created, failedAt,
                replaceAtOnce, nodeFailures);
    }

    public ServiceRecord withLaunched(long newLaunched) {
        return new ServiceRecord(spec, state, consecutiveFailures, lastError, nextAttempt, newLaunched, created,
                lastFailure, replaceAtOnce, nodeFailures);
    }

    public ServiceRecord withReplaceAtOnce(int cancelled) {
        return new ServiceRecord(spec, state, consecutiveFailures, lastError, nextAttempt, launched, created,
                lastFailure, cancelled, nodeFailures);
    }

    public ServiceRecord withNodeFailures(int lost) {
        return new ServiceRecord(spec, state, consecutiveFailures, lastError, nextAttempt, launched, created,
                lastFailure, replaceAtOnce, lost);
    }
}
