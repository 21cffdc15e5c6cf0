package dev.cadre.web;

import dev.cadre.db.JobStore;
import dev.cadre.db.UsageQueries;
import dev.cadre.protocol.JobSpecValidator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /api/usage: the CPU time users' jobs held in a window, summed by SQLite by user and job size (sreport's
 * reports are made from it on the client), with the CPUs of the nodes known now for its percentages.
 */
final class UsageReportApi {
    /** More names than any team has; bounds the query's IN list. */
    static final int MAX_USERS = 1000;

    private final JobStore jobs;
    private final Clock clock;

    UsageReportApi(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * @param clusterCpus the CPUs of every node the head knows now (the cluster Utilization route reads their history)
     * @param usage by user and job size, each with CPUs times the seconds of every attempt inside the window (a
     *        running one up to now)
     */
    record Usage(Instant start, Instant end, long clusterCpus, List<UsageQueries.UserJobSize> usage) {
    }

    /**
     * sreport's cluster Utilization of a window: the CPU-seconds of the nodes that were part of the cluster, from
     * their history, split into allocated, down (or drained) and idle.
     */
    record ClusterUtilization(Instant start, Instant end, UsageQueries.ClusterUsage cpuSeconds) {
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/usage", this::usage).taking("start", "end", "user"),
                Route.of("GET", "/api/usage/cluster", this::cluster).taking("start", "end"));
    }

    private ClusterUtilization cluster(Exchange x) throws ApiException {
        Instant start = required(x, "start");
        Instant end = after(x, start);
        return new ClusterUtilization(start, end, jobs.usage().cluster(start, end, clock.instant()));
    }

    private Usage usage(Exchange x) throws ApiException {
        Instant start = required(x, "start");
        Instant end = after(x, start);
        List<String> users = users(x.query("user"));
        return new Usage(start, end, jobs.usage().clusterCpus(), jobs.usage().byUserAndSize(start, end,
                clock.instant(), users));
    }

    private static Instant after(Exchange x, Instant start) throws ApiException {
        Instant end = required(x, "end");
        if (!end.isAfter(start)) {
            throw new ApiException(400, "'end' must be after 'start'", "end");
        }
        return end;
    }

    private static Instant required(Exchange x, String name) throws ApiException {
        String value = x.query(name);
        if (value == null) {
            throw new ApiException(400, "'" + name + "' is required: an ISO-8601 instant such as 2026-11-21T00:00:00Z",
                    name);
        }
        return QueryParameters.instant(name, value);
    }

    /** ?user=alice,bob: only their jobs; every user's without it. */
    static List<String> users(String value) throws ApiException {
        List<String> users = new ArrayList<>();
        if (value == null) {
            return users;
        }
        for (String u : value.split(",", -1)) {
            if (!JobSpecValidator.isUserName(u)) {
                throw new ApiException(400, "'user' is a comma-separated list of user names; '" + u + "' "
                        + JobSpecValidator.USER_RULE + " (at most 64)", "user");
            }
            if (!users.contains(u)) {
                users.add(u);
            }
        }
        if (users.size() > MAX_USERS) {
            throw new ApiException(400, "'user' names at most " + MAX_USERS + " users", "user");
        }
        return users;
    }
}
