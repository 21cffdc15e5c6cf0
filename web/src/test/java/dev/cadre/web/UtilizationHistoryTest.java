package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.db.JobSearchQueries.Span;
import dev.cadre.db.JobSearchQueries.Suspension;
import dev.cadre.db.JobSearchQueries.Utilization;
import dev.cadre.db.NodeHistory;
import dev.cadre.db.NodeHistory.Status;
import dev.cadre.protocol.NodeRecord;
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

    private static NodeRecord node(String id, int cores, NodeRecord.NodeState state) {
        return new NodeRecord(id, id + ".host", List.of(), cores, 1024, 0, state, T, null);
    }

    private static NodeHistory.Event event(String node, Instant time, NodeHistory.Status status, int cores) {
        return new NodeHistory.Event(node, node + ".host", time, status, cores, null, null);
    }

    /** The spans, and the nodes UP now with these cores, which have no history. */
    private static Utilization read(List<Span> spans, Map<String, Integer> nodeCores) {
        return new Utilization(spans, List.of(), nodeCores.entrySet().stream()
                .map(e -> node(e.getKey(), e.getValue(), NodeRecord.NodeState.UP)).toList());
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
        UtilizationHistory h = UtilizationHistory.of(read(spans, Map.of("n9", 16)), T.plusSeconds(3600),
                Duration.ofHours(1), 7);
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
        assertEquals(List.of(16L, 16L, 16L, 16L, 16L, 16L, 16L), p.stream()
                .map(UtilizationHistory.Point::coresTotal).toList(), "a node with no history stands as it does now");
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
        List<UtilizationHistory.Point> p = UtilizationHistory.of(read(List.of(first, second, third),
                Map.of("n1", 2, "n2", 2)), at(60), Duration.ofHours(1), 13).points();
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

    /**
     * Each point's total is what the nodes usable then offered, from their history: n1 (4 cores) up until it goes
     * down at 30 min with its job, and down now; n2 (2 cores) joins at 20 min; n3 (8 cores) drained at 10 min runs its
     * 3-core job on to 25 min, which the total keeps, as sreport counts down time at most what allocation left; n4 had
     * 8 cores when its 8-core job ran and came back with 4, which caps that job no more. Taking the nodes UP now, the
     * total would be 6 at every point, with 15 allocated at the first.
     */
    @Test
    void eachPointsTotalIsWhatTheNodesUsableThenOffered() {
        Span onN1 = new Span(at(-5), at(-5), at(30), 4, Map.of("n1", 4), List.of());
        Span onN3 = new Span(at(0), at(0), at(25), 3, Map.of("n3", 3), List.of());
        Span onN4 = new Span(at(0), at(0), at(15), 8, Map.of("n4", 8), List.of());
        List<NodeHistory.Event> history = List.of(event("n1", at(-60), Status.UP, 4),
                event("n3", at(-60), Status.UP, 8), event("n4", at(-60), Status.UP, 8),
                event("n3", at(10), Status.DRAINED, 8), event("n4", at(18), Status.DOWN, 8),
                event("n2", at(20), Status.UP, 2), event("n4", at(22), Status.UP, 4),
                event("n1", at(30), Status.DOWN, 4));
        List<NodeRecord> now = List.of(node("n1", 4, NodeRecord.NodeState.DOWN), node("n2", 2, NodeRecord.NodeState.UP),
                node("n3", 8, NodeRecord.NodeState.DOWN), node("n4", 4, NodeRecord.NodeState.UP));
        UtilizationHistory h = UtilizationHistory.of(new Utilization(List.of(onN1, onN3, onN4), history, now), at(60),
                Duration.ofHours(1), 13);
        assertEquals(6, h.coresTotal(), "the nodes UP now");
        // Points every 5 minutes: 0, 5, 10, ... 60.
        assertEquals(List.of(20L, 20L, 15L, 15L, 9L, 10L, 6L, 6L, 6L, 6L, 6L, 6L, 6L),
                h.points().stream().map(UtilizationHistory.Point::coresTotal).toList());
        assertEquals(List.of(15L, 15L, 15L, 7L, 7L, 4L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                h.points().stream().map(UtilizationHistory.Point::coresAllocated).toList());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
                h.points().stream().map(UtilizationHistory.Point::oversubscribedCores).toList());
    }

    /**
     * A job whose record names no node for its cores (an allocation's share without a node id) held them on one of
     * the nodes the total counts: they add nothing to the total and count as allocated only as far as the nodes' free
     * cores go, so coresAllocated never passes coresTotal, here on a 4-core node that another job fills.
     */
    @Test
    void coresOnNoNodeKnownCountWithinTheNodesTotal() {
        Span filling = new Span(at(0), at(0), at(40), 4, Map.of("n1", 4), List.of());
        Span nowhere = new Span(at(0), at(20), null, 3);
        UtilizationHistory h = UtilizationHistory.of(read(List.of(filling, nowhere), Map.of("n1", 4)), at(60),
                Duration.ofHours(1), 4);
        List<UtilizationHistory.Point> p = h.points();
        assertEquals(List.of(4L, 4L, 4L, 4L), p.stream().map(UtilizationHistory.Point::coresTotal).toList());
        assertEquals(List.of(4L, 4L, 3L, 3L), p.stream().map(UtilizationHistory.Point::coresAllocated).toList(),
                "at most the node's 4 cores while the other job fills them");
        assertEquals(List.of(0L, 3L, 0L, 0L), p.stream().map(UtilizationHistory.Point::oversubscribedCores)
                .toList());
    }

    /**
     * The sweep gives what counting every job and node at every point gives, ties, suspensions, shared cores and the
     * nodes' changing standing included.
     */
    @Test
    void theSweepAgreesWithCountingEveryJobAtEveryPoint() {
        Random random = new Random(42);
        // n1 and n2 have a history, n4 none (as it is now throughout), n3 is a node deleted since: not capped.
        List<NodeRecord> now = List.of(node("n1", 4, NodeRecord.NodeState.UP), node("n2", 8, NodeRecord.NodeState.DOWN),
                node("n4", 2, NodeRecord.NodeState.UP));
        List<String> names = List.of("n1", "n2", "n3", "n4");
        for (int round = 0; round < 50; round++) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // Times on a coarse grid, so that many fall on the points and on each other.
                Instant submitted = grid(random);
                Instant started = random.nextInt(4) == 0 ? null : grid(random);
                Instant ended = random.nextInt(3) == 0 ? null : grid(random);
                int cores = random.nextInt(9);
                Map<String, Integer> byNode = random.nextInt(4) == 0 ? Map.of()
                        : Map.of(names.get(random.nextInt(names.size())), cores);
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
            List<NodeHistory.Event> history = new ArrayList<>();
            Instant t = grid(random);
            for (int k = random.nextInt(12); k > 0; k--) {
                history.add(event(List.of("n1", "n2").get(random.nextInt(2)), t,
                        Status.values()[random.nextInt(Status.values().length)], 1 + random.nextInt(8)));
                t = t.plusSeconds(60L * random.nextInt(10));
            }
            int points = 2 + random.nextInt(120);
            Instant to = T.plusSeconds(3600).plusNanos(random.nextInt(1_000_000_000));
            Utilization read = new Utilization(spans, history, now);
            assertEquals(countedAtEachPoint(read, to, Duration.ofHours(1), points),
                    UtilizationHistory.of(read, to, Duration.ofHours(1), points).points(), "round " + round);
        }
    }

    private static Instant grid(Random random) {
        return T.plusSeconds(60L * random.nextInt(70) - 300);
    }

    /** Every job and node at every point, as the figures are defined. */
    private static List<UtilizationHistory.Point> countedAtEachPoint(Utilization read, Instant to, Duration window,
            int points) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<UtilizationHistory.Point> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            Map<String, Long> byNode = new HashMap<>();
            long unplaced = 0;
            long running = 0;
            long queued = 0;
            for (Span s : read.spans()) {
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
            // Each node's cores and whether it was usable at t: its last row by then; with rows but none yet, its
            // cores now and not usable; without rows, as it is now.
            Map<String, Integer> cores = new HashMap<>();
            Map<String, Boolean> usable = new HashMap<>();
            for (NodeRecord n : read.nodes()) {
                boolean recorded = read.nodeEvents().stream().anyMatch(e -> e.nodeId().equals(n.id()));
                cores.put(n.id(), n.cores());
                usable.put(n.id(), !recorded && n.state() == NodeRecord.NodeState.UP);
            }
            for (NodeHistory.Event e : read.nodeEvents()) {
                if (!e.time().isAfter(t)) {
                    cores.put(e.nodeId(), e.cores());
                    usable.put(e.nodeId(), e.status() == Status.UP);
                }
            }
            long held = unplaced + byNode.values().stream().mapToLong(Long::longValue).sum();
            long counted = 0;
            long total = 0;
            for (String node : cores.keySet()) {
                long capped = Math.min(byNode.getOrDefault(node, 0L), cores.get(node));
                counted += capped;
                total += usable.get(node) ? cores.get(node) : capped;
            }
            for (Map.Entry<String, Long> e : byNode.entrySet()) {
                if (!cores.containsKey(e.getKey())) {
                    counted += e.getValue();
                    total += e.getValue();
                }
            }
            // Cores on no node known were on one counted in the total: allocated as far as its free cores go.
            counted += Math.max(0, Math.min(unplaced, total - counted));
            out.add(new UtilizationHistory.Point(t, total, counted, held - counted, running, queued));
        }
        return out;
    }
}
