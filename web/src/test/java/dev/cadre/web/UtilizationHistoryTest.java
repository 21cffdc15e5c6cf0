package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.JobSearchQueries.Span;
import dev.cadre.db.JobSearchQueries.Suspension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtilizationHistoryTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    private static Instant at(long minutes) {
        return T.plusSeconds(60 * minutes);
    }

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
        UtilizationHistory h = UtilizationHistory.of(spans, T.plusSeconds(3600), Duration.ofHours(1), 7, 16, Map.of());
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

    /**
     * The case of scontrol suspend on a 2-core node: the first job's cores are free while it is suspended, a second
     * job starts on them, and after the resume both hold them until the second ends: the node's 2 cores count once
     * and the 2 more are oversubscribed, never 4 of 2.
     */
    @Test
    void aSuspendedJobHoldsNoCoresAndSharedCoresCountOnce() {
        Span first = new Span(at(0), at(0), null, 2, Map.of("n1", 2),
                List.of(new Suspension(at(10), at(30))));
        Span second = new Span(at(15), at(20), at(40), 2, Map.of("n1", 2), List.of());
        // On another node, suspended until its end.
        Span third = new Span(at(0), at(0), at(55), 1, Map.of("n2", 1), List.of(new Suspension(at(45), null)));
        List<UtilizationHistory.Point> p = UtilizationHistory.of(List.of(first, second, third), at(60),
                Duration.ofHours(1), 13, 4, Map.of("n1", 2, "n2", 2)).points();
        // Points every 5 minutes: 0, 5, 10, ... 60.
        assertEquals(List.of(3L, 3L, 1L, 1L, 3L, 3L, 3L, 3L, 3L, 2L, 2L, 2L, 2L),
                p.stream().map(UtilizationHistory.Point::coresAllocated).toList());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 2L, 2L, 0L, 0L, 0L, 0L, 0L),
                p.stream().map(UtilizationHistory.Point::oversubscribedCores).toList());
        assertEquals(List.of(2L, 2L, 1L, 1L, 2L, 2L, 3L, 3L, 2L, 1L, 1L, 1L, 1L),
                p.stream().map(UtilizationHistory.Point::running).toList(), "a suspended job is not running");
        assertEquals(List.of(0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                p.stream().map(UtilizationHistory.Point::queued).toList());
    }

    /** The sweep gives what counting every job at every point gives, ties, suspensions and shared cores included. */
    @Test
    void theSweepAgreesWithCountingEveryJobAtEveryPoint() {
        Random random = new Random(42);
        Map<String, Integer> nodeCores = Map.of("n1", 4, "n2", 8);
        for (int round = 0; round < 50; round++) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // Times on a coarse grid, so that many fall on the points and on each other.
                Instant submitted = grid(random);
                Instant started = random.nextInt(4) == 0 ? null : grid(random);
                Instant ended = random.nextInt(3) == 0 ? null : grid(random);
                int cores = random.nextInt(9);
                // n3 is a node deleted since: not capped.
                Map<String, Integer> byNode = random.nextInt(4) == 0 ? Map.of()
                        : Map.of(List.of("n1", "n2", "n3").get(random.nextInt(3)), cores);
                List<Suspension> suspensions = new ArrayList<>();
                Instant since = started == null ? grid(random) : started;
                for (int k = random.nextInt(3); k > 0; k--) {
                    Instant s = since.plusSeconds(60L * random.nextInt(20));
                    Instant r = random.nextInt(4) == 0 ? null : s.plusSeconds(60L * random.nextInt(20));
                    suspensions.add(new Suspension(s, r));
                    if (r == null) {
                        break;
                    }
                    since = r;
                }
                spans.add(new Span(submitted, started, ended, cores, byNode, suspensions));
            }
            int points = 2 + random.nextInt(120);
            Instant to = T.plusSeconds(3600).plusNanos(random.nextInt(1_000_000_000));
            assertEquals(countedAtEachPoint(spans, to, Duration.ofHours(1), points, nodeCores),
                    UtilizationHistory.of(spans, to, Duration.ofHours(1), points, 16, nodeCores).points(),
                    "round " + round);
        }
    }

    private static Instant grid(Random random) {
        return T.plusSeconds(60L * random.nextInt(70) - 300);
    }

    /** Every job at every point, as the figures are defined. */
    private static List<UtilizationHistory.Point> countedAtEachPoint(List<Span> spans, Instant to, Duration window,
            int points, Map<String, Integer> nodeCores) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<UtilizationHistory.Point> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            Map<String, Long> byNode = new HashMap<>();
            long unplaced = 0;
            long running = 0;
            long queued = 0;
            for (Span s : spans) {
                if (s.submitted().isAfter(t) || (s.ended() != null && !s.ended().isAfter(t))) {
                    continue;
                }
                if (s.started() == null || s.started().isAfter(t)) {
                    queued++;
                } else if (s.suspensions().stream().noneMatch(p -> !p.suspended().isAfter(t)
                        && (p.resumed() == null || p.resumed().isAfter(t)))) {
                    running++;
                    if (s.coresByNode().isEmpty()) {
                        unplaced += s.cpus();
                    }
                    s.coresByNode().forEach((node, cores) -> byNode.merge(node, (long) cores, Long::sum));
                }
            }
            long total = unplaced + byNode.values().stream().mapToLong(Long::longValue).sum();
            long counted = unplaced;
            for (Map.Entry<String, Long> e : byNode.entrySet()) {
                Integer cap = nodeCores.get(e.getKey());
                counted += cap == null ? e.getValue() : Math.min(e.getValue(), cap);
            }
            out.add(new UtilizationHistory.Point(t, counted, total - counted, running, queued));
        }
        return out;
    }
}
