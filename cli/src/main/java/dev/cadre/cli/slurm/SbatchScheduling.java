package dev.cadre.cli.slurm;

import dev.cadre.protocol.ArraySpec;
import dev.cadre.protocol.Dependencies;
import dev.cadre.protocol.JobSpec;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The sbatch options that say when and how often a job runs: --array, --begin, --deadline, --dependency, --hold,
 * --nice, --priority, --signal, --kill-on-invalid-dep, --requeue, --no-requeue, --reservation and --partition, with
 * Slurm's error texts; and who is mailed of it, --mail-type and --mail-user.
 */
final class SbatchScheduling {
    static final Set<String> OPTIONS = Set.of("array", "begin", "deadline", "dependency", "hold", "nice", "priority",
            "signal", "kill-on-invalid-dep", "requeue", "no-requeue", "mail-type", "mail-user", "reservation",
            "partition");
    /** What --nice without a value means in Slurm. */
    static final int DEFAULT_NICE = 100;
    /** The spec's limits (JobSpec validation); checked here so the error names the option. */
    static final int MAX_NICE = 10_000;
    static final long MAX_PRIORITY = 1_000_000_000L;
    static final int MAX_WARNING_SECONDS = 65_535;
    /** Slurm's warning time when --signal gives none. */
    static final int DEFAULT_WARNING_SECONDS = 60;

    private final JobSpec.Builder job;
    private final Clock clock;

    SbatchScheduling(JobSpec.Builder job, Clock clock) {
        this.job = job;
        this.clock = clock;
    }

    void apply(String option, String value) throws SlurmUsageException {
        switch (option) {
            case "array" -> job.array(checked("array", value, "Invalid job array specification", ArraySpec::parse));
            case "begin" -> job.beginTime(SlurmTime.parseBegin(value, clock.instant(), clock.getZone()));
            case "deadline" -> job.deadline(SlurmTime.parseDeadline(value, clock.instant(), clock.getZone()));
            case "dependency" -> job.dependency(checked("dependency", value, "Job dependency problem",
                    Dependencies::parse));
            // sbatch -H holds the job as its user would with scontrol uhold.
            case "hold" -> job.hold(JobSpec.HOLD_USER);
            case "nice" -> job.nice(nice(value));
            case "priority" -> job.priority(priority(value));
            case "signal" -> signal(value);
            case "kill-on-invalid-dep" -> job.killOnInvalidDependency(killOnInvalidDependency(value));
            // The attempt limit stays the scheduler's (requeue on node failure while attempts remain).
            case "requeue" -> job.requeue(true);
            case "no-requeue" -> job.requeue(false);
            // The last given wins, as a command line's overrides a script's; the head checks the recipient.
            case "mail-type" -> job.mailType(SlurmMail.parse(value));
            case "mail-user" -> job.mailUser(value);
            // The head refuses a name it has no reservation of, or one that does not admit the job's user.
            case "reservation" -> job.reservation(value);
            // A list, in the user's order; the head refuses a name it has no partition of.
            case "partition" -> job.partition(value);
            default -> throw new IllegalStateException("not a scheduling option: " + option);
        }
    }

    /**
     * What Slurm's sbatch, salloc and srun check of --begin and --deadline together once every option is read; the
     * head judges the deadline against the clock and the time limit.
     */
    static void checkBeginAndDeadline(JobSpec spec) throws SlurmUsageException {
        if (spec.deadline() != null && spec.beginTime() != null && spec.deadline().isBefore(spec.beginTime())) {
            throw new SlurmUsageException("Incompatible begin and deadline time specification");
        }
    }

    /**
     * The value once the parser takes it. Slurm learns of these mistakes only from the controller, so its line
     * ("Batch job submission failed: ...") comes first and Cadre's reason after it.
     */
    private static String checked(String option, String value, String slurmReason, Consumer<String> parser)
            throws SlurmUsageException {
        try {
            parser.accept(value);
            return value;
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException(List.of("Batch job submission failed: " + slurmReason,
                    "--" + option + "=" + value + ": " + e.getMessage()));
        }
    }

    private static int nice(String value) throws SlurmUsageException {
        if (value == null) {
            return DEFAULT_NICE;
        }
        long n = wholeNumber(value, "Invalid --nice value: " + value);
        if (Math.abs(n) > MAX_NICE) {
            throw new SlurmUsageException("Invalid --nice value, out of range (+/- " + MAX_NICE + ")");
        }
        return (int) n;
    }

    private static long priority(String value) throws SlurmUsageException {
        if (value.equalsIgnoreCase("TOP")) {
            throw new SlurmUsageException("--priority=TOP is not supported by this Cadre version");
        }
        long p = wholeNumber(value, "Invalid --priority specification");
        if (p < 0) {
            throw new SlurmUsageException("Priority must be >= 0");
        }
        if (p > MAX_PRIORITY) {
            throw new SlurmUsageException("Priority must be <= " + MAX_PRIORITY);
        }
        return p;
    }

    private static boolean killOnInvalidDependency(String value) throws SlurmUsageException {
        if (value.equalsIgnoreCase("yes")) {
            return true;
        }
        if (value.equalsIgnoreCase("no")) {
            return false;
        }
        throw new SlurmUsageException("Invalid --kill-on-invalid-dep specification");
    }

    /**
     * [{R|B}:]SIG[@TIME]. Like Slurm, a leading R or B (or both, in either order) is read as a flag before the
     * optional ':', so "--signal=BUS" is B with signal "US", which is no signal.
     */
    private void signal(String value) throws SlurmUsageException {
        String rest = value;
        boolean reservation = false;
        boolean batchOnly = false;
        for (int i = 0; i < 2 && !rest.isEmpty(); i++) {
            char flag = Character.toUpperCase(rest.charAt(0));
            if (flag == 'R' && !reservation) {
                reservation = true;
            } else if (flag == 'B' && !batchOnly) {
                batchOnly = true;
            } else {
                break;
            }
            rest = rest.substring(1);
        }
        if (rest.startsWith(":")) {
            rest = rest.substring(1);
        }
        int at = rest.indexOf('@');
        String signal = signalName(at < 0 ? rest : rest.substring(0, at));
        int seconds = DEFAULT_WARNING_SECONDS;
        if (at >= 0) {
            String time = rest.substring(at + 1);
            if (time.isEmpty() || time.length() > 5 || !time.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(time) > MAX_WARNING_SECONDS) {
                throw invalidSignal();
            }
            seconds = Integer.parseInt(time);
        }
        if (reservation) {
            // Slurm's R (KILL_JOB_RESV) lets a job overlap a reservation's MaxStartDelay, which Cadre's lack.
            throw new SlurmUsageException("--signal=" + value + ": R (let the job overlap a reservation that has a"
                    + " MaxStartDelay) is not supported: Cadre's reservations have no MaxStartDelay");
        }
        job.warningSignal(signal).warningSeconds(seconds).warningBatchOnly(batchOnly ? Boolean.TRUE : null);
    }

    /** A name without SIG (the scheduler knows which it delivers) or a number; the scheduler checks which. */
    private static String signalName(String text) throws SlurmUsageException {
        String upper = text.toUpperCase(Locale.ROOT);
        String name = upper.startsWith("SIG") ? upper.substring(3) : upper;
        boolean number = !name.isEmpty() && name.length() <= 2 && name.chars().allMatch(Character::isDigit);
        boolean word = !name.isEmpty() && name.length() <= 8 && name.chars().allMatch(c -> c >= 'A' && c <= 'Z'
                || c >= '0' && c <= '9');
        if (number ? Integer.parseInt(name) < 1 : !word || Character.isDigit(name.charAt(0))) {
            throw invalidSignal();
        }
        return number ? Integer.toString(Integer.parseInt(name)) : name;
    }

    private static SlurmUsageException invalidSignal() {
        return new SlurmUsageException("Invalid --signal specification");
    }

    /** A whole number with an optional sign; error is the message when it is not one. */
    static long wholeNumber(String text, String error) throws SlurmUsageException {
        String digits = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
            throw new SlurmUsageException(error);
        }
        return Long.parseLong(text.startsWith("+") ? digits : text);
    }
}
