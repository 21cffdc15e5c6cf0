package dev.cadre.client;

import java.time.Instant;
import java.util.List;

/**
 * When the scheduler expects a pending job to start, and where ({@code squeue --start},
 * {@link CadreClient#expectedStart}); or a job of a spec not submitted, were it submitted now
 * ({@code sbatch --test-only}, {@link CadreClient#trialStart}).
 * An estimate, as Slurm's is: the plan assumes the running jobs end at their time limits, and jobs that end sooner,
 * or later ones of higher priority, move it (docs/protocol.md 5.9).
 *
 * @param jobId the job's id; for a trial, the id the next job would get were nothing submitted first (not reserved),
 *     or 0 when the plan does not reach the job and the head names none
 * @param start when it is expected to start; null when it is not planned: held, waiting for a dependency, beyond the
 *     backfill window or depth, or a trial's job that would not start ({@code reason} says which where it can)
 * @param nodes the host names it is planned on; empty when not planned, or for a job waiting for a begin time the plan
 *     does not reach (then {@code start} is that time)
 * @param cpus the processors it would be given there (its tasks' CPUs, or the nodes' whole count for an exclusive
 *     job); null when no nodes are named, or from a head before the figure
 * @param reason why the job waits, as squeue's REASON shows it ({@code Resources}, {@code Priority},
 *     {@code Dependency}, {@code JobHeldUser}, ...); for a trial, why its job would not start (null when it would)
 */
public record StartEstimate(long jobId, Instant start, List<String> nodes, Integer cpus, String reason) {
    public StartEstimate {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Whether the plan gives the job a start. */
    public boolean planned() {
        return start != null;
    }
}
