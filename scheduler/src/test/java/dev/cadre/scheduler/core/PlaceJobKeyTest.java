package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.protocol.RunnerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A place-job's job key: the same when a restarted head sends the placement again, another for a job that a cadre.db
 * restored from a backup, or made anew, gives the same id (review 59, finding 1).
 */
class PlaceJobKeyTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));

    private static JobRecord pending(String submissionKey, Instant submitted) {
        JobSpec spec = JobSpec.builder().name("j").user("u").script("#!/bin/sh\n").workDir("/tmp").build();
        return new JobRecord(2, submissionKey, spec, JobState.PENDING, "None", 0, null, false, null, null, submitted,
                null, null);
    }

    private SchedulerCore core() {
        SchedulerCore core = new SchedulerCore(clock, PlacementPolicy.Kind.FCFS, Duration.ofSeconds(10), (id, a) -> "t");
        core.onRunnerEvent(new RunnerEvent.NodeHeartbeat("n1", "host-n1", List.of(), 2, 1024, 0, List.of(),
                clock.instant()));
        return core;
    }

    private static NodeCommand.PlaceJob placement(Decisions d) {
        return d.messages().stream().map(Outgoing::message).filter(NodeCommand.PlaceJob.class::isInstance)
                .map(NodeCommand.PlaceJob.class::cast).findFirst().orElseThrow();
    }

    /** The place-job of job 2, submitted with this key at this time, on a fresh head. */
    private NodeCommand.PlaceJob placed(String submissionKey, Instant submitted) {
        SchedulerCore core = core();
        core.admitted(pending(submissionKey, submitted));
        return placement(core.schedule());
    }

    @Test
    void aPlacementSentAgainAfterARestartCarriesTheSameKey() {
        SchedulerCore core = core();
        // Submitted within a millisecond, as clock.instant() gives it; cadre.db keeps milliseconds.
        core.admitted(pending("s:stamp-1", Instant.parse("2026-11-21T09:00:00.123Z")));
        NodeCommand.PlaceJob first = placement(core.schedule());
        assertNotNull(first.jobKey());
        JobRecord stored = core.job(2).orElseThrow();
        Decisions again = core().recover(List.of(stored), core.nodes(), 2);
        assertEquals(first.jobKey(), placement(again).jobKey());
    }

    @Test
    void anotherJobOfTheSameIdHasAnotherKey() {
        Instant t = Instant.parse("2026-11-21T09:00:00.123Z");
        String key = placed("s:stamp-1", t).jobKey();
        assertEquals(key, placed("s:stamp-1", t).jobKey());
        assertNotEquals(key, placed("s:stamp-2", t).jobKey(), "another submission");
        // A service's instance key repeats when its record is restored; its submit time does not.
        assertNotEquals(key, placed("s:stamp-1", t.plusMillis(1)).jobKey(), "submitted at another time");
    }
}
