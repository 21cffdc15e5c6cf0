package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerStatisticsTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
    private final MutableClock clock = new MutableClock(T);
    private final SchedulerStatistics stats = new SchedulerStatistics(clock);

    private static JobChange move(JobState from, JobState to) {
        JobRecord job = new JobRecord(7, "k7", JobSpec.builder().user("alice").script("#!/bin/sh\n").workDir("/tmp")
                .build(), to, "None", 1, null, false, null, null, T, null, null);
        return new JobChange(job, from, T, null);
    }

    @Test
    void jobsAreCountedByTheirMovesOnly() {
        stats.submitted(3);
        stats.submitted(0);
        List<JobChange> changes = new ArrayList<>(List.of(move(JobState.PENDING, JobState.RUNNING),
                move(JobState.PENDING, JobState.RUNNING), move(JobState.SUSPENDED, JobState.RUNNING),
                move(JobState.RUNNING, JobState.COMPLETED), move(JobState.PENDING, JobState.CANCELLED),
                move(JobState.COMPLETING, JobState.CANCELLED), move(JobState.RUNNING, JobState.FAILED),
                move(JobState.RUNNING, JobState.TIMEOUT), move(JobState.RUNNING, JobState.OUT_OF_MEMORY),
                move(JobState.RUNNING, JobState.NODE_FAIL), move(JobState.RUNNING, JobState.REQUEUED),
                // A relabelling of a pending job moves nothing.
                move(JobState.PENDING, JobState.PENDING)));
        stats.decided(changes);
        DiagnosticsReport.Jobs j = stats.report(9).jobs();
        assertEquals(List.of(3L, 2L, 1L, 2L, 1L, 1L, 1L, 1L, 1L), List.of(j.submitted(), j.started(), j.completed(),
                j.cancelled(), j.failed(), j.timedOut(), j.outOfMemory(), j.nodeFailed(), j.requeued()));
        assertNull(j.countedAt(), "no pass yet");
    }

    @Test
    void passesGiveTheLastMaxMeanAndDepth() {
        DiagnosticsReport.Schedule none = stats.report(1).schedule();
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), List.of(none.cycles(), none.lastMicros(), none.maxMicros(),
                none.meanMicros(), none.meanDepth()));
        stats.passed(300_000, 10, 40, 4);
        clock.advance(Duration.ofSeconds(1));
        stats.passed(900_000, 2, 38, 6);
        clock.advance(Duration.ofSeconds(1));
        stats.passed(600_000, 3, 37, 7);
        DiagnosticsReport r = stats.report(12);
        DiagnosticsReport.Schedule s = r.schedule();
        assertEquals(List.of(3L, 600L, 900L, 600L, 1800L, 5L, 3L), List.of(s.cycles(), s.lastMicros(), s.maxMicros(),
                s.meanMicros(), s.totalMicros(), s.meanDepth(), s.lastDepth()));
        assertEquals(T.plusSeconds(2), s.lastCycleAt());
        assertEquals(List.of(37, 7), List.of(r.jobs().pending(), r.jobs().running()));
        assertEquals(T.plusSeconds(2), r.jobs().countedAt());
        assertEquals(12, r.serverThreads());
        assertEquals(T, r.since());
        assertEquals(T.plusSeconds(2), r.time());
    }

    @Test
    void messagesAreTalliedByTypeMostFrequentFirst() {
        stats.handled("cancel-job", 1, 5_000);
        stats.handled("submit-job", 4, 2_000_000);
        stats.handled("cancel-job", 1, 7_000);
        stats.handled("hold-job", 0, 1_000);
        List<DiagnosticsReport.MessageTally> m = stats.report(1).messages();
        assertEquals(List.of(new DiagnosticsReport.MessageTally("submit-job", 4, 2000, 500),
                new DiagnosticsReport.MessageTally("cancel-job", 2, 12, 6)), m);
    }

    @Test
    void aResetStartsTheCountsAgainAndKeepsTheStanding() {
        stats.submitted(5);
        stats.decided(List.of(move(JobState.PENDING, JobState.RUNNING)));
        stats.passed(1_000, 1, 4, 1);
        stats.handled("submit-job", 5, 10_000);
        clock.advance(Duration.ofMinutes(5));
        stats.reset();
        DiagnosticsReport r = stats.report(1);
        assertEquals(T.plusSeconds(300), r.since());
        assertEquals(List.of(0L, 0L), List.of(r.jobs().submitted(), r.jobs().started()));
        assertEquals(List.of(0L, 0L), List.of(r.schedule().cycles(), r.schedule().maxMicros()));
        assertNull(r.schedule().lastCycleAt());
        assertEquals(List.of(), r.messages());
        assertEquals(List.of(4, 1), List.of(r.jobs().pending(), r.jobs().running()), "how things stand is no count");
        stats.submitted(1);
        assertEquals(1, stats.report(1).jobs().submitted());
    }
}
