package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A standing service: keep this many instances of a job running (exo's MetaInstance idea). Each instance is a
 * job made from the template, with {@code service} set to the name and no requeue of its own: the service's
 * reconciler replaces instances that end.
 *
 * @param replicas a boxed integer so that a missing one is reported by {@link ServiceValidator} as required,
 *        not by the JSON decoder
 * @param maxConsecutiveFailures the failure budget: after this many rounds of failures in a row (instances that
 *        end before running a minute), the service stops re-placing them and shows FAILED; null is 10. Instances
 *        lost with their node count apart, against three times this ({@link #nodeFailureBudget()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSpec(String name, Integer replicas, JobSpec template, Integer maxConsecutiveFailures) {
    public static final int MAX_REPLICAS = 10_000;
    public static final int MAX_FAILURE_BUDGET = 1000;
    public static final int DEFAULT_FAILURE_BUDGET = 10;
    public static final int NODE_FAILURE_BUDGET_FACTOR = 3;

    public int failureBudget() {
        return maxConsecutiveFailures == null ? DEFAULT_FAILURE_BUDGET : maxConsecutiveFailures;
    }

    /**
     * Rounds in a row of instances lost with their node before the service turns FAILED: larger than the failure
     * budget, as nodes also die of their own causes, but finite, so an instance that takes its node down stops.
     */
    public int nodeFailureBudget() {
        return NODE_FAILURE_BUDGET_FACTOR * failureBudget();
    }

    /** The job spec of one instance. */
    public JobSpec instanceSpec() {
        return template.toBuilder().service(name).requeue(false).maxAttempts(null).array(null).dependency(null)
                .hold(null).beginTime(null).build();
    }

    /** This service with the replicas and budget an update-service gives; null keeps the current value. */
    public ServiceSpec updated(Integer newReplicas, Integer newBudget) {
        return new ServiceSpec(name, newReplicas == null ? replicas : newReplicas, template,
                newBudget == null ? maxConsecutiveFailures : newBudget);
    }
}
