package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * squeue's TIME (%M) and TIME_LEFT (%L) leave out the time a job spent suspended, as Slurm's do and as sacct's Elapsed
 * and scontrol's RunTime do: it stands still while the job is suspended and goes on from there once it is resumed.
 */
class SqueueSuspendedTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A job started an hour ago with a two-hour limit, as GET /api/jobs lists it. */
    private static SqueueJob job(String state, String suspendTime, Long suspendedMillis, String endTime) {
        return SqueueJob.of(Json.parse("{\"id\": 7, \"name\": \"sim\", \"user\": \"alice\", \"state\": \"" + state
                + "\", \"nodes\": 1, \"cpus\": 1, \"nodeList\": \"n1\", \"timeLimitSeconds\": 7200,"
                + " \"submitTime\": \"2026-11-24T10:59:00Z\", \"startTime\": \"2026-11-24T11:00:00Z\""
                + (endTime == null ? "" : ", \"endTime\": \"" + endTime + "\"")
                + (suspendTime == null ? "" : ", \"suspendTime\": \"" + suspendTime + "\"")
                + (suspendedMillis == null ? "" : ", \"suspendedMillis\": " + suspendedMillis) + "}"), NOW);
    }

    private static List<String> timeAndLeft(SqueueJob j) {
        return SqueueFormat.render(SqueueFormat.parse("%M|%L"), List.of(j), false, CLOCK);
    }

    @Test
    void aSuspendedJobsTimeStandsStillFromItsSuspend() {
        // Suspended 20 minutes ago, after 40 minutes of running.
        SqueueJob j = job("SUSPENDED", "2026-11-24T11:40:00Z", 0L, null);
        assertEquals(40 * 60, j.elapsedSeconds(NOW));
        assertEquals(List.of("40:00|1:20:00"), timeAndLeft(j));
    }

    @Test
    void aResumedJobLeavesOutWhatItSpentSuspended() {
        // Suspended for 15 minutes, resumed 5 minutes ago.
        SqueueJob j = job("RUNNING", "2026-11-24T11:55:00Z", 15 * 60_000L, null);
        assertEquals(45 * 60, j.elapsedSeconds(NOW));
        assertEquals(List.of("45:00|1:15:00"), timeAndLeft(j));
        SqueueJob twice = job("SUSPENDED", "2026-11-24T11:50:00Z", 15 * 60_000L, null);
        assertEquals(35 * 60, twice.elapsedSeconds(NOW), "suspended again 10 minutes ago, 15 minutes before that");
    }

    @Test
    void anEndedJobsTimeIsItsRunWithoutItsSuspendAndANeverSuspendedOneAsBefore() {
        SqueueJob ended = job("CANCELLED", "2026-11-24T11:40:00Z", 10 * 60_000L, "2026-11-24T11:50:00Z");
        assertEquals(40 * 60, ended.elapsedSeconds(NOW));
        SqueueJob plain = job("RUNNING", null, null, null);
        assertEquals(3600, plain.elapsedSeconds(NOW));
        assertEquals(List.of("1:00:00|1:00:00"), timeAndLeft(plain));
    }
}
