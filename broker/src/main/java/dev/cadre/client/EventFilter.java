package dev.cadre.client;

import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which job events a watch receives. The broker applies it as a JMS selector on the events' jobId, arrayJobId, user,
 * cancelledBy and state properties, so events that do not match never reach the client.
 *
 * @param jobId only this job's events, or null for any job
 * @param arrayJobId only the events of this array's jobs (its own record, the tasks split off it and the parts of its
 *        pending tasks: docs/protocol.md 5.5), or null
 * @param arrayTaskId with arrayJobId, only the events of the record that runs this task and of the array's records
 *        that hold pending tasks (the task may be one of them), or null for every task
 * @param user only this user's jobs, or null for every user
 * @param cancelledBy only the events of cancels this user asked for, whoever's the jobs (a running job's COMPLETING for
 *        the kill and its CANCELLED, a pending job's CANCELLED: docs/protocol.md 8.1), or null for any event
 * @param endingsOnly only the events that end a job (COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL,
 *        OUT_OF_MEMORY, DEADLINE)
 */
public record EventFilter(Long jobId, Long arrayJobId, Integer arrayTaskId, String user, String cancelledBy,
        boolean endingsOnly) {
    private static final String ENDINGS = "state IN (" + Arrays.stream(JobState.values())
            .filter(JobState::isTerminal).map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ")) + ")";

    public EventFilter {
        if (arrayTaskId != null && arrayJobId == null) {
            throw new IllegalArgumentException("a task is selected within its array: arrayTaskId needs arrayJobId");
        }
    }

    /** Without a canceller. */
    public EventFilter(Long jobId, Long arrayJobId, Integer arrayTaskId, String user, boolean endingsOnly) {
        this(jobId, arrayJobId, arrayTaskId, user, null, endingsOnly);
    }

    public EventFilter(Long jobId, String user) {
        this(jobId, null, null, user, false);
    }

    public EventFilter(Long jobId, String user, boolean endingsOnly) {
        this(jobId, null, null, user, endingsOnly);
    }

    public static EventFilter all() {
        return new EventFilter(null, null);
    }

    public static EventFilter job(long jobId) {
        return new EventFilter(jobId, null);
    }

    /** Every job of the array: its own record, each task split off it, and each part of its pending tasks. */
    public static EventFilter array(long arrayJobId) {
        return new EventFilter(null, arrayJobId, null, null, false);
    }

    /**
     * What a watch of Slurm's 12_3 needs: the events of the record that runs task 3 of array 12, and those of the
     * array's records that hold pending tasks (its own record while tasks wait, and its parts), as task 3 may be one
     * of them; not the other tasks' (docs/protocol.md 8.3).
     */
    public static EventFilter task(long arrayJobId, int taskId) {
        return new EventFilter(null, arrayJobId, taskId, null, false);
    }

    public static EventFilter user(String user) {
        return new EventFilter(null, user);
    }

    /** The events of the cancels this user asked for (scancel's caller, a client's cancel), whoever's the jobs. */
    public static EventFilter cancelledBy(String user) {
        return all().withCanceller(user);
    }

    /** This filter narrowed to the events of the cancels this user asked for. */
    public EventFilter withCanceller(String user) {
        return new EventFilter(jobId, arrayJobId, arrayTaskId, this.user, user, endingsOnly);
    }

    /** This filter narrowed to the events that end a job: a third of a job's events, where only results matter. */
    public EventFilter endings() {
        return new EventFilter(jobId, arrayJobId, arrayTaskId, user, cancelledBy, true);
    }

    /** The JMS selector, or null when every event passes. */
    public String selector() {
        List<String> terms = new ArrayList<>(5);
        if (jobId != null) {
            terms.add("jobId = " + jobId);
        }
        if (arrayJobId != null) {
            terms.add("arrayJobId = " + arrayJobId);
        }
        if (arrayTaskId != null) {
            terms.add("(arrayTaskId = " + arrayTaskId + " OR arrayTaskId IS NULL)");
        }
        if (user != null) {
            terms.add("user = " + literal(user));
        }
        if (cancelledBy != null) {
            terms.add("cancelledBy = " + literal(cancelledBy));
        }
        if (endingsOnly) {
            terms.add(ENDINGS);
        }
        return terms.isEmpty() ? null : String.join(" AND ", terms);
    }

    /**
     * A name as an SQL-92 string literal, the only kind the selector grammar has: a quote inside is written twice, and
     * nothing else is special, so no name can end the literal and add terms of its own.
     */
    private static String literal(String name) {
        return "'" + name.replace("'", "''") + "'";
    }
}
