package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.JobSearchQueries.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UtilizationHistoryTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void coresHeldAndJobsQueuedAtEachPoint() {
        List<Span> spans = List.of(
                // Queued 0-10 min, ran 10-30 on 4 cores.
                new Span(T, T.plusSeconds(600), T.plusSeconds(1800), 4),
                // Queued from 20 min on, never started.
                new Span(T.plusSeconds(1200), null, null, 0),
                // Cancelled while queued at 25 min.
                new Span(T.plusSeconds(1200), null, T.plusSeconds(1500), 0),
                // Runs from 5 min on, 2 cores.
                new Span(T.plusSeconds(300), T.plusSeconds(300), null, 2));
        UtilizationHistory h = UtilizationHistory.of(spans, T.plusSeconds(3600), Duration.ofHours(1), 7, 16);
        assertEquals(600, h.stepSeconds());
        assertEquals(16, h.coresTotal());
        List<UtilizationHistory.Point> p = h.points();
        assertEquals(7, p.size());
        assertEquals(T, p.get(0).time());
        assertEquals(T.plusSeconds(3600), p.get(6).time());
        assertEquals(List.of(0L, 6L, 6L, 2L, 2L, 2L, 2L), p.stream().map(UtilizationHistory.Point::coresAllocated)
                .toList(), "a job counts from its start until its end");
        assertEquals(List.of(1L, 0L, 2L, 1L, 1L, 1L, 1L), p.stream().map(UtilizationHistory.Point::queued).toList());
        assertEquals(List.of(0L, 2L, 2L, 1L, 1L, 1L, 1L), p.stream().map(UtilizationHistory.Point::running).toList());
    }
}
