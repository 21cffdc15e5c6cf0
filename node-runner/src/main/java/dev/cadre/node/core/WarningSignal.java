package dev.cadre.node.core;

import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's --signal=[B:]SIG@TIME as a node sends it: the signal in kill(1)'s words, when it is due, and whether
 * the batch script alone gets it.
 *
 * @param killOptions "-s NAME" for a name (kill takes it without SIG), "-N" for a number
 * @param due the time limit ({@link TimeLimit}) less the warning time; the start itself when the warning time is the
 *     longer
 * @param batchOnly only the batch script's own process (Slurm's "B:"), not the rest of the job
 */
public record WarningSignal(List<String> killOptions, Instant due, boolean batchOnly) {
    /** Slurm's warning time when --signal gives none. */
    static final int DEFAULT_SECONDS = 60;

    /** The warning the job asked for; empty when it asked for none or has no time limit to be warned of. */
    public static Optional<WarningSignal> of(JobSpec spec, Instant started) {
        if (spec.warningSignal() == null || spec.timeLimitSeconds() == null) {
            return Optional.empty();
        }
        int seconds = spec.warningSeconds() == null ? DEFAULT_SECONDS : spec.warningSeconds();
        Instant due = TimeLimit.plus(started, Math.max(0, TimeLimit.seconds(spec.timeLimitSeconds()) - seconds));
        return Optional.of(new WarningSignal(killOptions(spec.warningSignal()), due,
                Boolean.TRUE.equals(spec.warningBatchOnly())));
    }

    /** For the forms the head accepts: USR1, SIGUSR1 or 10. */
    public static List<String> killOptions(String signal) {
        String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit) ? List.of("-" + name)
                : List.of("-s", name);
    }
}
