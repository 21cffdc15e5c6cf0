package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A change to the spec of pending jobs (scontrol hold, uhold, release and update) and the rule that may refuse it
 * for a job, the same whether one job, a whole array or a task list is named.
 *
 * @param verb the action as refusals word it: "held"
 * @param newReason the wait reason to show at once, or null to leave it to the next pass
 * @param refusal why a pending job may not be changed, worded to follow its name ("is not held"), or null when
 *        it may; null when any may
 */
record PendingChange(String verb, UnaryOperator<JobSpec> change, String newReason,
        Function<JobRecord, String> refusal) {

    /** A user's hold on a job an administrator holds is refused: it would let the user release it. */
    static PendingChange hold(boolean admin) {
        String hold = admin ? JobSpec.HOLD_ADMIN : JobSpec.HOLD_USER;
        return new PendingChange("held", s -> s.toBuilder().hold(hold).build(), Eligibility.holdReason(hold),
                j -> !admin && JobSpec.HOLD_ADMIN.equals(j.spec().hold()) ? "is held by an administrator; a user hold"
                        + " would let its user release it, so it stays as it is" : null);
    }

    static PendingChange release(boolean admin) {
        return new PendingChange("released", s -> s.toBuilder().hold(null).build(), "None", j -> {
            if (j.spec().hold() == null) {
                return "is not held";
            }
            if (j.spec().hold().equals(JobSpec.HOLD_ADMIN) && !admin) {
                return "was held by an administrator; only an administrator can release it";
            }
            return null;
        });
    }

    /** Why this pending job may not be changed, following its name; null when it may. */
    String problem(JobRecord j) {
        return refusal == null ? null : refusal.apply(j);
    }

    /**
     * Changes a pending record of its own (a task split off its array's record first) and stores it; one the change
     * leaves as it is is neither stored nor announced.
     */
    JobRecord applyTo(JobRecord own, Instant now, JobTable jobs, Decisions d) {
        JobRecord updated = applied(own, now);
        if (updated.equals(own)) {
            // A hold of a job held so already: nothing to write, nothing to announce.
            return own;
        }
        if (newReason != null) {
            d.change(new JobChange(updated, JobState.PENDING, now, null));
        }
        jobs.put(updated);
        d.respec(updated);
        return updated;
    }

    /**
     * A task still inside the record would be as the record is now: nothing to split off, write or announce (a hold
     * of 12_4 inside a part held so already).
     */
    boolean leavesAsItIs(JobRecord holder, Instant now) {
        return applied(holder, now).equals(holder);
    }

    private JobRecord applied(JobRecord own, Instant now) {
        JobRecord updated = own.withSpec(change.apply(own.spec()));
        if (own.spec().hold() != null && updated.spec().hold() == null) {
            updated = eligibleFrom(updated, now);
        }
        if (newReason != null) {
            updated = updated.withState(JobState.PENDING, newReason);
        }
        return updated;
    }

    /**
     * A job released from its hold is eligible from now (sacct's Eligible), unless a backoff still keeps it back;
     * a dependency it still waits on moves that on when the pass finds it satisfied.
     */
    private static JobRecord eligibleFrom(JobRecord released, Instant now) {
        Instant backoff = released.eligibleTime();
        return backoff != null && backoff.isAfter(now) ? released : released.withEligibleTime(now);
    }
}
