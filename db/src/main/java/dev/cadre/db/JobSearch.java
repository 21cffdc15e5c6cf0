package dev.cadre.db;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.Set;

/**
 * What a job list asks for: filters (null or empty means none), an order and a page. The total of a search is
 * counted without its cursor, so a client can say "1-100 of 10,000".
 *
 * @param text part of the name or user, or the whole id, case-insensitive
 * @param node jobs with an attempt on this host name
 * @param submitted when it was submitted
 * @param started when its current attempt started
 * @param ended when it ended
 * @param newestFirst by id, highest first; otherwise lowest first
 * @param cursor the id the previous page ended with: the page starts after it in the order asked for
 */
public record JobSearch(Set<JobState> states, String user, String name, String text, String node, Between submitted,
        Between started, Between ended, boolean newestFirst, Long cursor, int limit) {

    /** A time range; either end may be null for an open one. Both ends are included. */
    public record Between(Instant from, Instant to) {
        public static final Between ANY = new Between(null, null);

        public boolean isAny() {
            return from == null && to == null;
        }
    }

    public JobSearch {
        states = states == null ? Set.of() : Set.copyOf(states);
        submitted = submitted == null ? Between.ANY : submitted;
        started = started == null ? Between.ANY : started;
        ended = ended == null ? Between.ANY : ended;
        if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + JobQuery.MAX_LIMIT);
        }
    }
}
