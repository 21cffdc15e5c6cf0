package dev.cadre.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks what a reservation request says on its own, before the scheduler judges it against the nodes, jobs and
 * other reservations; each problem names its field.
 */
public final class ReservationValidator {
    /** More users than a reservation lists in practice; more is refused rather than stored. */
    public static final int MAX_USERS = 256;
    /** The keyword for every known node, in any case, as Slurm's Nodes=ALL. */
    public static final String ALL = "ALL";

    private ReservationValidator() {
    }

    public static List<JobSpecValidator.Problem> validate(ReservationRequest request) {
        List<JobSpecValidator.Problem> problems = new ArrayList<>();
        name(request.name()).ifPresent(problems::add);
        if (request.user() != null && !JobSpecValidator.isUserName(request.user())) {
            problems.add(new JobSpecValidator.Problem("user", JobSpecValidator.USER_RULE));
        }
        if (request instanceof ReservationRequest.CreateReservation c) {
            if (c.startTime() == null) {
                problems.add(new JobSpecValidator.Problem("startTime", "is required"));
            }
            if (c.endTime() == null && c.durationSeconds() == null) {
                problems.add(new JobSpecValidator.Problem("endTime", "give endTime or durationSeconds"));
            }
            times(problems, c.startTime(), c.endTime(), c.durationSeconds());
            if (c.nodes() == null) {
                problems.add(new JobSpecValidator.Problem("nodes", "is required: a host list of nodes, or ALL"));
            } else {
                nodes(problems, c.nodes());
            }
            if (c.users() == null || c.users().isEmpty()) {
                problems.add(new JobSpecValidator.Problem("users", "is required: at least one user"));
            } else {
                users(problems, c.users());
            }
            flags(problems, c.flags());
        } else if (request instanceof ReservationRequest.UpdateReservation u) {
            if (!u.changesAnything()) {
                problems.add(new JobSpecValidator.Problem("name", "give startTime, endTime, durationSeconds, nodes"
                        + " or users to change"));
            }
            times(problems, u.startTime(), u.endTime(), u.durationSeconds());
            if (u.nodes() != null) {
                nodes(problems, u.nodes());
            }
            if (u.users() != null) {
                if (u.users().isEmpty()) {
                    problems.add(new JobSpecValidator.Problem("users", "must name at least one user"));
                }
                users(problems, u.users());
            }
        }
        return problems;
    }

    /** A reservation name's problem, or empty when it is valid: the rule of a service's name. */
    public static Optional<JobSpecValidator.Problem> name(String name) {
        if (name == null || !ScheduleFieldsValidator.SERVICE.matcher(name).matches()) {
            return Optional.of(new JobSpecValidator.Problem("name", (name == null ? "is required"
                    : "is '" + JobSpecValidator.printable(name) + "'") + "; it must be 1 to 63 letters, digits, '_',"
                    + " '.' or '-', starting with a letter or digit"));
        }
        return Optional.empty();
    }

    private static void times(List<JobSpecValidator.Problem> problems, Instant start, Instant end,
            Long durationSeconds) {
        long most = AdvanceReservation.UNLIMITED_SECONDS;
        if (durationSeconds != null && (durationSeconds < 1 || durationSeconds > most)) {
            problems.add(new JobSpecValidator.Problem("durationSeconds", "is " + durationSeconds + "; it must be"
                    + " between 1 and " + most));
        }
        if (start != null && end != null && !end.isAfter(start)) {
            problems.add(new JobSpecValidator.Problem("endTime", "is " + end + ", not after startTime " + start));
        }
        if (start != null && end != null && durationSeconds != null
                && !start.plusSeconds(durationSeconds).equals(end)) {
            problems.add(new JobSpecValidator.Problem("durationSeconds", "startTime + durationSeconds does not"
                    + " equal endTime"));
        }
    }

    private static void nodes(List<JobSpecValidator.Problem> problems, String nodes) {
        if (nodes.equalsIgnoreCase(ALL)) {
            return;
        }
        try {
            List<String> hosts = HostList.expand(nodes);
            if (hosts.isEmpty()) {
                problems.add(new JobSpecValidator.Problem("nodes", "names no node"));
            }
            for (String h : hosts) {
                NodeHostName.problem(h).ifPresent(p -> problems.add(new JobSpecValidator.Problem("nodes", p)));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new JobSpecValidator.Problem("nodes", e.getMessage()));
        }
    }

    private static void users(List<JobSpecValidator.Problem> problems, List<String> users) {
        if (users.size() > MAX_USERS) {
            problems.add(new JobSpecValidator.Problem("users", "names " + users.size() + " users; at most "
                    + MAX_USERS));
            return;
        }
        for (String u : users) {
            if (!JobSpecValidator.isUserName(u)) {
                problems.add(new JobSpecValidator.Problem("users", (u == null ? "holds null" : "holds '"
                        + JobSpecValidator.printable(u) + "'") + "; each " + JobSpecValidator.USER_RULE));
            }
        }
    }

    private static void flags(List<JobSpecValidator.Problem> problems, List<String> flags) {
        if (flags == null) {
            return;
        }
        for (String f : flags) {
            if (f == null || !AdvanceReservation.REQUESTABLE.contains(f)) {
                problems.add(new JobSpecValidator.Problem("flags", (f == null ? "holds null" : "holds '"
                        + JobSpecValidator.printable(f) + "'") + "; Cadre takes " + String.join(", ",
                        AdvanceReservation.REQUESTABLE)));
            }
        }
    }
}
