package dev.cadre.protocol;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec fields that say when and how often a job runs: priority, begin, deadline, dependency, hold, array, signal.
 */
final class ScheduleFieldsValidator {
    static final int MAX_NICE = 10_000;
    static final long MAX_PRIORITY = 1_000_000_000L;
    /** Slurm's --signal takes at most 65535 seconds. */
    static final int MAX_WARNING_SECONDS = 65_535;
    /** Signals a job may ask for as a warning: the ones programs catch to save their work. */
    static final Set<String> WARNING_SIGNALS = Set.of("HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "ALRM", "CONT",
            "URG", "WINCH", "XCPU", "PWR", "KILL", "STOP", "TSTP");
    static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private ScheduleFieldsValidator() {
    }

    static void check(List<JobSpecValidator.Problem> problems, JobSpec spec) {
        if (spec.nice() != null && Math.abs((long) spec.nice()) > MAX_NICE) {
            problems.add(new JobSpecValidator.Problem("spec.nice", "is " + spec.nice() + "; it must be between -"
                    + MAX_NICE + " and " + MAX_NICE));
        }
        if (spec.priority() != null && (spec.priority() < 0 || spec.priority() > MAX_PRIORITY)) {
            problems.add(new JobSpecValidator.Problem("spec.priority", "is " + spec.priority()
                    + "; it must be between 0 and " + MAX_PRIORITY));
        }
        if (spec.deadline() != null && spec.beginTime() != null && spec.deadline().isBefore(spec.beginTime())) {
            problems.add(new JobSpecValidator.Problem("spec.deadline", "is " + spec.deadline()
                    + ", before the job's beginTime " + spec.beginTime()));
        }
        if (spec.dependency() != null) {
            try {
                Dependencies.parse(spec.dependency());
            } catch (IllegalArgumentException e) {
                problems.add(new JobSpecValidator.Problem("spec.dependency", e.getMessage()));
            }
        }
        if (spec.hold() != null && !spec.hold().equals(JobSpec.HOLD_USER) && !spec.hold().equals(JobSpec.HOLD_ADMIN)) {
            problems.add(new JobSpecValidator.Problem("spec.hold", "must be 'user' or 'admin'"));
        }
        if (spec.array() != null) {
            try {
                ArraySpec.parse(spec.array());
            } catch (IllegalArgumentException e) {
                problems.add(new JobSpecValidator.Problem("spec.array", e.getMessage()));
            }
        }
        checkWarning(problems, spec);
        if (spec.reservation() != null && !SERVICE.matcher(spec.reservation()).matches()) {
            problems.add(new JobSpecValidator.Problem("spec.reservation", "must be 1 to 63 letters, digits, '_', '.'"
                    + " or '-', starting with a letter or digit"));
        }
        if (spec.partition() != null && (spec.partition().isEmpty() || spec.partition().endsWith(",")
                || Partition.names(spec.partition()).stream().anyMatch(n -> !SERVICE.matcher(n).matches()))) {
            problems.add(new JobSpecValidator.Problem("spec.partition", "must be partition names separated by"
                    + " commas, each 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit"));
        }
        if (spec.service() != null && !SERVICE.matcher(spec.service()).matches()) {
            problems.add(new JobSpecValidator.Problem("spec.service", "must be 1 to 63 letters, digits, '_', '.'"
                    + " or '-', starting with a letter or digit"));
        }
    }

    private static void checkWarning(List<JobSpecValidator.Problem> problems, JobSpec spec) {
        if (spec.warningSignal() == null) {
            if (spec.warningSeconds() != null || spec.warningBatchOnly() != null) {
                problems.add(new JobSpecValidator.Problem("spec.warningSignal", "is required with warningSeconds"
                        + " and warningBatchOnly"));
            }
            return;
        }
        if (!isSignal(spec.warningSignal())) {
            problems.add(new JobSpecValidator.Problem("spec.warningSignal", "'" + spec.warningSignal()
                    + "' is not a signal; use a name such as USR1 (one of " + WARNING_SIGNALS.stream().sorted()
                    .toList() + ") or a number from 1 to 64"));
        }
        if (spec.warningSeconds() != null && (spec.warningSeconds() < 0
                || spec.warningSeconds() > MAX_WARNING_SECONDS)) {
            problems.add(new JobSpecValidator.Problem("spec.warningSeconds", "is " + spec.warningSeconds()
                    + "; it must be between 0 and " + MAX_WARNING_SECONDS));
        }
    }

    /** A name of {@link #WARNING_SIGNALS}, with or without SIG, or a number from 1 to 64. */
    static boolean isSignal(String signal) {
        String s = signal.startsWith("SIG") ? signal.substring(3) : signal;
        if (WARNING_SIGNALS.contains(s)) {
            return true;
        }
        return !s.isEmpty() && s.length() <= 2 && s.chars().allMatch(Character::isDigit)
                && Integer.parseInt(s) >= 1 && Integer.parseInt(s) <= 64;
    }
}
