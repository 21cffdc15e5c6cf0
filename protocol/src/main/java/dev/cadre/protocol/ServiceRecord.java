package dev.cadre.protocol;

import java.time.Instant;

/**
 * A service as stored, with what its reconciler has seen.
 *
 * @param state ACTIVE (instances are kept running), FAILED (the failure budget is spent; nothing is re-placed)
 *        or DELETING (instances are being stopped; the service goes once none is left)
 * @param consecutiveFailures instances that failed in a row since the last one that ran healthily
 * @param lastError how the last failed instance ended
 * @param nextAttempt no instance is placed before this time (the backoff after a failure); null for at once
 * @param launched instances created so far, which numbers the next one's submission key
 */
public record ServiceRecord(ServiceSpec spec, String state, int consecutiveFailures, String lastError,
        Instant nextAttempt, long launched, Instant created) {
    public static final String ACTIVE = "ACTIVE";
    public static final String FAILED = "FAILED";
    public static final String DELETING = "DELETING";

    public String name() {
        return spec.name();
    }

    public ServiceRecord with(String newState, int failures, String error, Instant next, long newLaunched) {
        return new ServiceRecord(spec, newState, failures, error, next, newLaunched, created);
    }
}
