package dev.cadre.scheduler.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which ended jobs a pruning pass deletes, by the clock, the retention and the rows alone. */
class HistoryRetentionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final HistoryRetention NINETY_DAYS = HistoryRetention.parse("--job-history-retention", "90d");
    private static final Instant CUTOFF = NINETY_DAYS.cutoff(CLOCK).orElseThrow();
    private static final Instant OLD = NOW.minus(Duration.ofDays(91));
    private static final Instant RECENT = NOW.minus(Duration.ofDays(89));

    private static HistoryRetention.Row job(long id, JobState state, Instant end) {
        return new HistoryRetention.Row(id, null, state, end);
    }

    private static HistoryRetention.Row task(long id, long array, JobState state, Instant end) {
        return new HistoryRetention.Row(id, array, state, end);
    }

    @Test
    void readsDurationsAndForeverAndRefusesTheRestNamingTheSetting() {
        assertEquals(Duration.ofDays(90), NINETY_DAYS.keep());
        assertEquals(Duration.ofHours(12), HistoryRetention.parse("X", "12h").keep());
        assertEquals(Duration.ofHours(2), HistoryRetention.parse("X", "7200").keep());
        assertTrue(HistoryRetention.parse("X", " Forever ").forever());
        assertEquals("90d", NINETY_DAYS.toString());
        assertEquals(NOW.minus(Duration.ofDays(90)), CUTOFF);
        assertTrue(HistoryRetention.FOREVER.cutoff(CLOCK).isEmpty(), "forever prunes nothing");
        for (String bad : List.of("", "0", "-5d", "30m", "3599", "90x", "d", "9999999999999d", "1.5d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HistoryRetention.parse("CADRE_JOB_HISTORY_RETENTION", bad), bad);
            assertTrue(e.getMessage().startsWith("CADRE_JOB_HISTORY_RETENTION must be") && e.getMessage()
                    .contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void endedJobsOlderThanTheRetentionGoAndEverythingElseStays() {
        List<HistoryRetention.Row> rows = List.of(job(1, JobState.COMPLETED, OLD), job(2, JobState.FAILED, OLD),
                job(3, JobState.COMPLETED, RECENT), job(4, JobState.CANCELLED, CUTOFF),
                job(5, JobState.CANCELLED, CUTOFF.minusMillis(1)), job(6, JobState.PENDING, null),
                job(7, JobState.RUNNING, null), job(8, JobState.REQUEUED, OLD));
        assertEquals(List.of(1L, 2L, 5L), HistoryRetention.prunable(CUTOFF, rows, Set.of()));
        assertEquals(List.of(), HistoryRetention.prunable(CUTOFF.minus(Duration.ofDays(2)), rows, Set.of()),
                "a day later nothing has aged past an earlier cutoff");
    }

    @Test
    void anArrayGoesWholeOnlyOnceEveryRowOfItEndedBeforeTheCutoff() {
        List<HistoryRetention.Row> ended = List.of(task(10, 10, JobState.COMPLETED, OLD),
                task(11, 10, JobState.FAILED, OLD), task(12, 10, JobState.COMPLETED, OLD));
        assertEquals(List.of(10L, 11L, 12L), HistoryRetention.prunable(CUTOFF, ended, Set.of()));
        List<HistoryRetention.Row> oneRunning = List.of(task(20, 20, JobState.COMPLETED, OLD),
                task(21, 20, JobState.RUNNING, null), task(22, 20, JobState.COMPLETED, OLD));
        assertEquals(List.of(), HistoryRetention.prunable(CUTOFF, oneRunning, Set.of()));
        List<HistoryRetention.Row> oneRecent = List.of(task(30, 30, JobState.COMPLETED, OLD),
                task(31, 30, JobState.COMPLETED, RECENT));
        assertEquals(List.of(), HistoryRetention.prunable(CUTOFF, oneRecent, Set.of()));
    }

    @Test
    void aJobThatAnUnfinishedJobsDependencyNamesStaysHoweverOld() {
        Set<Long> named = HistoryRetention.named(List.of("afterok:1:2_1", "afterany:40?singleton", "nonsense"));
        assertEquals(Set.of(1L, 2L, 40L), named, "a task names its array; singleton names no job");
        List<HistoryRetention.Row> rows = List.of(job(1, JobState.COMPLETED, OLD), task(2, 2, JobState.COMPLETED, OLD),
                task(3, 2, JobState.COMPLETED, OLD), task(41, 40, JobState.FAILED, OLD),
                task(40, 40, JobState.FAILED, OLD), job(50, JobState.COMPLETED, OLD));
        assertEquals(List.of(50L), HistoryRetention.prunable(CUTOFF, rows, named),
                "the array named by its id stays whole, as does the one named by a task");
    }

    @Test
    void aJobTheOutboxHoldsStays() {
        List<HistoryRetention.Row> rows = List.of(job(1, JobState.COMPLETED, OLD), job(2, JobState.COMPLETED, OLD),
                task(3, 4, JobState.COMPLETED, OLD), task(4, 4, JobState.COMPLETED, OLD));
        assertEquals(List.of(1L), HistoryRetention.prunable(CUTOFF, rows, Set.of(2L, 3L)),
                "a held task keeps its whole array");
    }
}
