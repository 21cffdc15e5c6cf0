package dev.cadre.protocol;

import java.time.Instant;

/** What the scheduler publishes on the multicast address {@link Destinations#EVENTS}. */
public sealed interface JobEvent extends Message {

    /** @param previous null for a new job */
    record JobStateChanged(long jobId, JobState previous, JobState state, String reason, Instant time, int attempt,
            String user, String name) implements JobEvent {
    }
}
