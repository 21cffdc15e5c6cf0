package dev.cadre.db;

import dev.cadre.protocol.JobState;
import java.util.Set;

/**
 * Filters for listing jobs; null or empty means no filter. Results are ordered by id.
 *
 * @param afterId paging cursor: only ids greater than this
 */
public record JobQuery(Set<JobState> states, String user, String name, Set<Long> ids, Long afterId, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public JobQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        ids = ids == null ? Set.of() : Set.copyOf(ids);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
