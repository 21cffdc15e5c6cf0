package dev.cadre.cli.slurm;

import java.util.List;
import java.util.Map;

/**
 * -I/--immediate[=seconds] of srun (outside a job) and salloc: how long the allocation may wait to start, the line
 * the command prints when it has not started by then (its job is cancelled), and the exit code, Slurm's
 * immediate_exit: 1, or SLURM_EXIT_IMMEDIATE's value.
 *
 * <p>Slurm's controller refuses at once a request that cannot start when -I is 1 (ESLURM_NODES_BUSY, "Requested
 * nodes are busy"); a longer limit leaves it queued and cancels it when the limit passes, which srun words as
 * nodes busy too and salloc by its errno, ETIMEDOUT ("Connection timed out"). Cadre queues the job either way and
 * cancels it when the limit passes, so the cancelled job shows in sacct, where Slurm's -I1 leaves none.
 *
 * @param notes lines for stderr before the allocation is asked for (a SLURM_EXIT_IMMEDIATE of 0)
 */
public record ImmediateAllocation(int seconds, String refusal, int exitCode, List<String> notes) {
    public static final String EXIT_VARIABLE = "SLURM_EXIT_IMMEDIATE";

    /**
     * @param program "srun" or "salloc"
     * @param seconds -I's seconds, or null when -I was not given (or was 0)
     * @return null when the allocation may wait as long as it takes
     */
    public static ImmediateAllocation of(String program, Integer seconds, Map<String, String> env) {
        if (seconds == null) {
            return null;
        }
        boolean timedOut = program.equals("salloc") && seconds > 1;
        String refusal = program + ": error: Unable to allocate resources: "
                + (timedOut ? "Connection timed out" : "Requested nodes are busy");
        String value = env.get(EXIT_VARIABLE);
        if (value == null) {
            return new ImmediateAllocation(seconds, refusal, 1, List.of());
        }
        // Slurm reads it with atoi(), and keeps 1 when that gives 0.
        int code = SlurmNumbers.leadingInt(value);
        return code == 0
                ? new ImmediateAllocation(seconds, refusal, 1,
                        List.of(program + ": error: " + EXIT_VARIABLE + " has zero value"))
                : new ImmediateAllocation(seconds, refusal, code, List.of());
    }
}
