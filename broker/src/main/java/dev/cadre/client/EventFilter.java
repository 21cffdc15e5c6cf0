package dev.cadre.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Which job events a watch receives. The broker applies it as a JMS selector on the events' jobId and user
 * properties, so events that do not match never reach the client.
 *
 * @param jobId only this job's events, or null for any job
 * @param user only this user's jobs, or null for every user
 */
public record EventFilter(Long jobId, String user) {

    public static EventFilter all() {
        return new EventFilter(null, null);
    }

    public static EventFilter job(long jobId) {
        return new EventFilter(jobId, null);
    }

    public static EventFilter user(String user) {
        return new EventFilter(null, user);
    }

    /** The JMS selector, or null when every event passes. */
    public String selector() {
        List<String> terms = new ArrayList<>(2);
        if (jobId != null) {
            terms.add("jobId = " + jobId);
        }
        if (user != null) {
            // SQL-92 string literal: a quote inside is written twice.
            terms.add("user = '" + user.replace("'", "''") + "'");
        }
        return terms.isEmpty() ? null : String.join(" AND ", terms);
    }
}
