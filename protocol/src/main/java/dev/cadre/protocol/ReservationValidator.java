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
    /** More nodes than a NodeCnt= asks for in practice. */
    public static final int MAX_NODE_COUNT = 100_000;

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
            if (c.nodes() == null && c.nodeCount() == null) {
                problems.add(new JobSpecValidator.Problem("nodes", "is required: a host list of nodes, or ALL (or"
                        + " give nodeCount)"));
            } else if (c.nodes() != null && c.nodeCount() != null) {
                problems.add(new JobSpecValidator.Problem("nodeCount", "give nodes or nodeCount, not both"));
            } else if (c.nodes() != null) {
                nodes(problems, "nodes", c.nodes());
            } else if (c.nodeCount() < 1 || c.nodeCount() > MAX_NODE_COUNT) {
                problems.add(new JobSpecValidator.Problem("nodeCount", "is " + c.nodeCount() + "; it must be between"
                        + " 1 and " + MAX_NODE_COUNT));
            }
            if (c.users() == null || c.users().isEmpty()) {
                problems.add(new JobSpecValidator.Problem("users", "is required: at least one user"));
            } else {
                users(problems, "users", c.users());
            }
            flags(problems, "flags", c.flags(), AdvanceReservation.REQUESTABLE);
        } else if (request instanceof ReservationRequest.UpdateReservation u) {
            update(problems, u);
        }
        return problems;
    }

    private static void update(List<JobSpecValidator.Problem> problems, ReservationRequest.UpdateReservation u) {
        if (!u.changesAnything()) {
            problems.add(new JobSpecValidator.Problem("name", "give startTime, endTime, durationSeconds, nodes,"
                    + " users, or nodes, users or flags to add or remove"));
        }
        times(problems, u.startTime(), u.endTime(), u.durationSeconds());
        if (u.nodes() != null) {
            nodes(problems, "nodes", u.nodes());
            if (u.addNodes() != null || u.removeNodes() != null) {
                problems.add(new JobSpecValidator.Problem("nodes", "give the whole list, or nodes to add or remove,"
                        + " not both"));
            }
        }
        for (String field : List.of("addNodes", "removeNodes")) {
            String list = field.equals("addNodes") ? u.addNodes() : u.removeNodes();
            if (list != null && list.equalsIgnoreCase(ALL)) {
                problems.add(new JobSpecValidator.Problem(field, "takes a host list, not ALL"));
            } else if (list != null) {
                nodes(problems, field, list);
            }
        }
        if (u.users() != null) {
            if (u.users().isEmpty()) {
                problems.add(new JobSpecValidator.Problem("users", "must name at least one user"));
            }
            users(problems, "users", u.users());
            if (u.addUsers() != null || u.removeUsers() != null) {
                problems.add(new JobSpecValidator.Problem("users", "give the whole list, or users to add or remove,"
                        + " not both"));
            }
        }
        for (String field : List.of("addUsers", "removeUsers")) {
            List<String> list = field.equals("addUsers") ? u.addUsers() : u.removeUsers();
            if (list != null && list.isEmpty()) {
                problems.add(new JobSpecValidator.Problem(field, "must name at least one user"));
            } else if (list != null) {
                users(problems, field, list);
            }
        }
        if (u.addFlags() != null && u.addFlags().isEmpty()) {
            problems.add(new JobSpecValidator.Problem("addFlags", "must name at least one flag"));
        }
        flags(problems, "addFlags", u.addFlags(), AdvanceReservation.REQUESTABLE);
        if (u.removeFlags() != null && u.removeFlags().isEmpty()) {
            problems.add(new JobSpecValidator.Problem("removeFlags", "must name at least one flag"));
        }
        flags(problems, "removeFlags", u.removeFlags(), AdvanceReservation.REMOVABLE);
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

    /** A host list's problems (or none for ALL), each naming the field. */
    static void nodes(List<JobSpecValidator.Problem> problems, String field, String nodes) {
        if (nodes.equalsIgnoreCase(ALL)) {
            return;
        }
        try {
            List<String> hosts = HostList.expand(nodes);
            if (hosts.isEmpty()) {
                problems.add(new JobSpecValidator.Problem(field, "names no node"));
            }
            for (String h : hosts) {
                NodeHostName.problem(h).ifPresent(p -> problems.add(new JobSpecValidator.Problem(field, p)));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new JobSpecValidator.Problem(field, e.getMessage()));
        }
    }

    private static void users(List<JobSpecValidator.Problem> problems, String field, List<String> users) {
        if (users.size() > MAX_USERS) {
            problems.add(new JobSpecValidator.Problem(field, "names " + users.size() + " users; at most "
                    + MAX_USERS));
            return;
        }
        for (String u : users) {
            if (!JobSpecValidator.isUserName(u)) {
                problems.add(new JobSpecValidator.Problem(field, (u == null ? "holds null" : "holds '"
                        + JobSpecValidator.printable(u) + "'") + "; each " + JobSpecValidator.USER_RULE));
            }
        }
    }

    private static void flags(List<JobSpecValidator.Problem> problems, String field, List<String> flags,
            List<String> taken) {
        if (flags == null) {
            return;
        }
        for (String f : flags) {
            if (f == null || !taken.contains(f)) {
                problems.add(new JobSpecValidator.Problem(field, (f == null ? "holds null" : "holds '"
                        + JobSpecValidator.printable(f) + "'") + "; Cadre takes " + String.join(", ", taken)));
            }
        }
    }
}
