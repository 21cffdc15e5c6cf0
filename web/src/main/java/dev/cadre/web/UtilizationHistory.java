package dev.cadre.web;

import dev.cadre.db.JobSearchQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/cluster/history: cores held and jobs queued at evenly spaced times, worked out from the jobs' stored
 * times, so the chart has a past as soon as the page opens and survives a restart of the head. A job counts with
 * its current (or last) attempt: the earlier attempts of a requeued job are not in the figures. As in Slurm, a job
 * suspended with scontrol suspend holds no cores while it is suspended (other jobs may start on them) and is not
 * running; once resumed it counts its cores again, and each node's cores count once, at most the node's, as
 * GET /api/nodes' allocated.cores does: what the jobs of a node hold beyond its cores (a job resumed while others
 * took its cores) is oversubscribedCores, so coresAllocated never passes the nodes' cores for shared ones.
 *
 * @param coresTotal what the nodes UP now offer; the past totals are not stored
 */
record UtilizationHistory(Instant from, Instant to, long stepSeconds, long coresTotal, List<Point> points) {

    /**
     * @param coresAllocated the cores held, each node's counted once, at most its cores
     * @param oversubscribedCores what the jobs held beyond that on nodes whose cores were shared
     * @param running jobs started, not ended and not suspended at that time
     * @param queued jobs submitted and neither started nor ended at that time
     */
    record Point(Instant time, long coresAllocated, long oversubscribedCores, long running, long queued) {
    }

    /**
     * One sweep over the jobs' changes in time order, not a pass over every job for every point: a job is queued
     * from its submission until it starts (or ends), and running, holding its cores, from its start until it ends
     * but for its suspensions; at a point, whatever changed at or before it counts.
     *
     * @param nodeCores each node's cores, by node id: a node not in it (deleted since) is not capped
     */
    static UtilizationHistory of(List<JobSearchQueries.Span> spans, Instant to, Duration window, int points,
            long coresTotal, Map<String, Integer> nodeCores) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<Change> changes = new ArrayList<>(spans.size() * 4);
        for (JobSearchQueries.Span s : spans) {
            Instant ended = s.ended() == null ? Instant.MAX : s.ended();
            Instant started = s.started() == null ? Instant.MAX
                    : s.started().isBefore(s.submitted()) ? s.submitted() : s.started();
            Instant queuedUntil = started.isBefore(ended) ? started : ended;
            if (s.submitted().isBefore(queuedUntil)) {
                changes.add(new Change(s.submitted(), null, 0, 0, 1));
                changes.add(new Change(queuedUntil, null, 0, 0, -1));
            }
            if (started.isBefore(ended)) {
                holding(s, started, ended, changes);
                for (JobSearchQueries.Suspension p : s.suspensions()) {
                    Instant stopped = p.suspended().isBefore(started) ? started : p.suspended();
                    Instant back = p.resumed() == null || p.resumed().isAfter(ended) ? ended : p.resumed();
                    if (stopped.isBefore(back)) {
                        holding(s, back, stopped, changes);
                    }
                }
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        CoresHeld held = new CoresHeld(nodeCores);
        List<Point> out = new ArrayList<>(points);
        long running = 0;
        long queued = 0;
        int next = 0;
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            for (; next < changes.size() && !changes.get(next).at().isAfter(t); next++) {
                Change c = changes.get(next);
                held.add(c.node(), c.cores());
                running += c.running();
                queued += c.queued();
            }
            out.add(new Point(t, held.counted, held.total - held.counted, running, queued));
        }
        return new UtilizationHistory(from, to, stepMillis / 1000, coresTotal, out);
    }

    /** The span's cores held from {@code on} until {@code off} (taken back from {@code off} when it is earlier). */
    private static void holding(JobSearchQueries.Span s, Instant on, Instant off, List<Change> changes) {
        int sign = on.isBefore(off) ? 1 : -1;
        Instant first = sign > 0 ? on : off;
        Instant last = sign > 0 ? off : on;
        changes.add(new Change(first, null, 0, sign, 0));
        changes.add(new Change(last, null, 0, -sign, 0));
        if (s.coresByNode().isEmpty()) {
            changes.add(new Change(first, null, sign * (long) s.cpus(), 0, 0));
            changes.add(new Change(last, null, -sign * (long) s.cpus(), 0, 0));
            return;
        }
        s.coresByNode().forEach((node, cores) -> {
            changes.add(new Change(first, node, sign * (long) cores, 0, 0));
            changes.add(new Change(last, node, -sign * (long) cores, 0, 0));
        });
    }

    /** What a job adds to the figures from a time on (negative when it stops counting), on a node or none. */
    private record Change(Instant at, String node, long cores, long running, long queued) {
    }

    /** The jobs' cores by node, and their sum with each node's capped at its cores, kept as they change. */
    private static final class CoresHeld {
        private final Map<String, Integer> nodeCores;
        private final Map<String, Long> byNode = new HashMap<>();
        long total;
        long counted;

        CoresHeld(Map<String, Integer> nodeCores) {
            this.nodeCores = nodeCores;
        }

        void add(String node, long cores) {
            if (cores == 0) {
                return;
            }
            total += cores;
            Integer cap = node == null ? null : nodeCores.get(node);
            if (cap == null) {
                counted += cores;
                return;
            }
            long before = byNode.getOrDefault(node, 0L);
            long after = before + cores;
            byNode.put(node, after);
            counted += capped(after, cap) - capped(before, cap);
        }

        private static long capped(long cores, int cap) {
            return Math.max(0, Math.min(cores, cap));
        }
    }
}
