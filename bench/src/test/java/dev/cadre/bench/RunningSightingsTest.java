package dev.cadre.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunningSightingsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RunningSightings sightings = new RunningSightings(now::get);

    private static JobEvent.JobStateChanged event(long id, JobState from, JobState to) {
        return new JobEvent.JobStateChanged(id, from, to, "None", Instant.EPOCH, 1, "u", "wrap", null, null);
    }

    @Test
    void theRunningEventIsTheSampleEvenWhenItArrivedBeforeTheJobsIdWasKnown() {
        sightings.onEvent(event(1, JobState.PENDING, JobState.RUNNING));
        now.set(2_000);
        sightings.onEvent(event(1, JobState.RUNNING, JobState.COMPLETED));
        assertEquals(new RunningSightings.Sighting.Seen(1_000), awaitBriefly(1));
    }

    @Test
    void aJobSeenEndingWithoutRunningIsMissingAtOnce() {
        sightings.onEvent(event(2, JobState.PENDING, JobState.FAILED));
        assertEquals(new RunningSightings.Sighting.Missing("ended FAILED without a RUNNING event before it"),
                awaitBriefly(2));
    }

    @Test
    void noEventByTheDeadlineIsMissing() {
        assertEquals(new RunningSightings.Sighting.Missing("no RUNNING event within 20 ms"), awaitBriefly(3));
    }

    @Test
    void theTableNamesTheSamplesTakenAndWhyTheRunFailed() {
        IdleLatency idle = new IdleLatency(List.of(2_000_000L, 4_000_000L), 200,
                "job 3: no RUNNING event within 30000 ms");
        assertEquals("submit→RUNNING p50 / p90 / p99 (ms, idle, 2 jobs)", idle.header());
        assertEquals("2.00 / 4.00 / 4.00 (failed after 2 of 200 jobs: job 3: no RUNNING event within 30000 ms)",
                idle.cell());
    }

    private RunningSightings.Sighting awaitBriefly(long id) {
        try {
            return sightings.await(id, Duration.ofMillis(20));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
