package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks what a partition request says on its own, before the scheduler judges it against the nodes, jobs and other
 * partitions; each problem names its field.
 */
public final class PartitionValidator {
    /** A year in minutes: longer limits are refused rather than stored (UNLIMITED is -1). */
    public static final long MAX_MINUTES = 366L * 24 * 60;

    private PartitionValidator() {
    }

    public static List<JobSpecValidator.Problem> validate(PartitionRequest request) {
        List<JobSpecValidator.Problem> problems = new ArrayList<>();
        ReservationValidator.name(request.name()).ifPresent(problems::add);
        if (request.name() != null && request.name().toLowerCase(Locale.ROOT).equals("default")) {
            problems.add(new JobSpecValidator.Problem("name", "cannot be DEFAULT, the word of slurm.conf's defaults"));
        }
        if (request.user() != null && !JobSpecValidator.isUserName(request.user())) {
            problems.add(new JobSpecValidator.Problem("user", JobSpecValidator.USER_RULE));
        }
        if (request instanceof PartitionRequest.CreatePartition c) {
            if (c.nodes() == null) {
                problems.add(new JobSpecValidator.Problem("nodes", "is required: a host list of nodes, or ALL"));
            }
            fields(problems, c.nodes(), c.maxTimeMinutes(), c.defaultTimeMinutes(), c.state());
        } else if (request instanceof PartitionRequest.UpdatePartition u) {
            if (!u.changesAnything()) {
                problems.add(new JobSpecValidator.Problem("name", "give nodes, default, maxTimeMinutes,"
                        + " defaultTimeMinutes or state to change"));
            }
            if (Boolean.FALSE.equals(u.isDefault())) {
                problems.add(new JobSpecValidator.Problem("default", "cannot be false: make another partition"
                        + " the default instead, as one always is"));
            }
            fields(problems, u.nodes(), u.maxTimeMinutes(), u.defaultTimeMinutes(), u.state());
        }
        return problems;
    }

    private static void fields(List<JobSpecValidator.Problem> problems, String nodes, Long maxTime, Long defaultTime,
            String state) {
        if (nodes != null) {
            ReservationValidator.nodes(problems, "nodes", nodes);
        }
        minutes(problems, "maxTimeMinutes", maxTime);
        minutes(problems, "defaultTimeMinutes", defaultTime);
        if (state != null && !Partition.STATES.contains(state)) {
            problems.add(new JobSpecValidator.Problem("state", "is '" + JobSpecValidator.printable(state)
                    + "'; it must be one of " + String.join(", ", Partition.STATES)));
        }
    }

    private static void minutes(List<JobSpecValidator.Problem> problems, String field, Long minutes) {
        if (minutes != null && (minutes < -1 || minutes > MAX_MINUTES)) {
            problems.add(new JobSpecValidator.Problem(field, "is " + minutes + "; it must be -1 (none) or between 0"
                    + " and " + MAX_MINUTES));
        }
    }
}
