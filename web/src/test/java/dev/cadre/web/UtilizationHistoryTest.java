package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.JobSearchQueries.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    /** The sweep gives what counting every job at every point gives, ties and odd spans included. */
    @Test
    void theSweepAgreesWithCountingEveryJobAtEveryPoint() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // Times on a coarse grid, so that many fall on the points and on each other.
                Instant submitted = T.plusSeconds(60L * random.nextInt(70) - 300);
                Instant started = random.nextInt(4) == 0 ? null : T.plusSeconds(60L * random.nextInt(70) - 300);
                Instant ended = random.nextInt(3) == 0 ? null : T.plusSeconds(60L * random.nextInt(70) - 300);
                spans.add(new Span(submitted, started, ended, random.nextInt(9)));
            }
            int points = 2 + random.nextInt(120);
            Instant to = T.plusSeconds(3600).plusNanos(random.nextInt(1_000_000_000));
            assertEquals(countedAtEachPoint(spans, to, Duration.ofHours(1), points),
                    UtilizationHistory.of(spans, to, Duration.ofHours(1), points, 16).points(), "round " + round);
        }
    }

    /** Every job at every point, as the figures are defined. */
    private static List<UtilizationHistory.Point> countedAtEachPoint(List<Span> spans, Instant to, Duration window,
            int points) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<UtilizationHistory.Point> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            long cores = 0;
            long running = 0;
            long queued = 0;
            for (Span s : spans) {
                if (s.submitted().isAfter(t) || (s.ended() != null && !s.ended().isAfter(t))) {
                    continue;
                }
                if (s.started() != null && !s.started().isAfter(t)) {
                    running++;
                    cores += s.cpus();
                } else {
                    queued++;
                }
            }
            out.add(new UtilizationHistory.Point(t, cores, running, queued));
        }
        return out;
    }
}
