package dev.cadre.web;

import dev.cadre.db.JobSearchQueries;
import dev.cadre.db.NodeHistory;
import dev.cadre.protocol.NodeRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GET /api/cluster/history: cores held and offered and jobs queued at evenly spaced times, worked out from the jobs'
 * stored times and the nodes' accounting history, so the chart has a past as soon as the page opens and survives a
 * restart of the head. A job counts with its current (or last) attempt: the earlier attempts of a requeued job are not
 * in the figures. As in Slurm, a job suspended with scontrol suspend holds no cores while it is suspended (other jobs
 * may start on them) and is not running; once resumed it counts its cores again, and each node's cores count once, at
 * most the node's, as GET /api/nodes' allocated.cores does: what the jobs of a node hold beyond its cores (a job
 * resumed while others took its cores) is oversubscribedCores. Each point's coresTotal is what the nodes usable at
 * that time offered (see {@link ClusterCores}), so coresAllocated never passes it.
 *
 * @param coresTotal what the nodes UP now offer
 */
record UtilizationHistory(Instant from, Instant to, long stepSeconds, long coresTotal, List<Point> points) {

    /**
     * @param coresTotal the cores of the nodes usable (UP) at that time, and those the jobs held on nodes that were not
     *        (DOWN, DRAINED, or deleted since)
     * @param coresAllocated the cores held, each node's counted once, at most its cores
     * @param oversubscribedCores what the jobs held beyond that on nodes whose cores were shared
     * @param running jobs started, not ended and not suspended at that time
     * @param queued jobs submitted and neither started nor ended at that time
     */
    record Point(Instant time, long coresTotal, long coresAllocated, long oversubscribedCores, long running,
            long queued) {
    }

    /**
     * One sweep over the jobs' and the nodes' changes in time order, not a pass over every job for every point: a job
     * is queued from its submission until it starts (or ends), and running, holding its cores, from its start until
     * it ends but for its suspensions; a node stands as its history's row in force says. A node with no row at all
     * (none written since it joined) stands as it does now throughout, and one with rows is not part of the cluster
     * before its first. At a point, whatever changed at or before it counts.
     */
    static UtilizationHistory of(JobSearchQueries.Utilization read, Instant to, Duration window, int points) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<Change> changes = new ArrayList<>(read.spans().size() * 4);
        for (JobSearchQueries.Span s : read.spans()) {
            Instant ended = s.ended() == null ? Instant.MAX : s.ended();
            Instant started = s.started() == null ? Instant.MAX
                    : s.started().isBefore(s.submitted()) ? s.submitted() : s.started();
            Instant queuedUntil = started.isBefore(ended) ? started : ended;
            if (s.submitted().isBefore(queuedUntil)) {
                changes.add(new Change(s.submitted(), null, 0, 0, 1));
                changes.add(new Change(queuedUntil, null, 0, 0, -1));
            }
            if (started.isBefore(ended)) {
                holding(s, started, ended, 1, changes);
                for (JobSearchQueries.Suspension p : s.suspensions()) {
                    Instant stopped = p.suspended().isBefore(started) ? started : p.suspended();
                    Instant back = p.resumed() == null || p.resumed().isAfter(ended) ? ended : p.resumed();
                    if (stopped.isBefore(back)) {
                        holding(s, stopped, back, -1, changes);
                    }
                }
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        ClusterCores cores = new ClusterCores();
        Set<String> recorded = new HashSet<>();
        read.nodeEvents().forEach(e -> recorded.add(e.nodeId()));
        long upNow = 0;
        for (NodeRecord n : read.nodes()) {
            boolean up = n.state() == NodeRecord.NodeState.UP;
            upNow += up ? n.cores() : 0;
            cores.stand(n.id(), n.cores(), up && !recorded.contains(n.id()));
        }
        // Written in time order; a stable sort keeps a node's rows of the same millisecond in it.
        List<NodeHistory.Event> standings = new ArrayList<>(read.nodeEvents());
        standings.sort(Comparator.comparing(NodeHistory.Event::time));
        List<Point> out = new ArrayList<>(points);
        long running = 0;
        long queued = 0;
        int next = 0;
        int nextStanding = 0;
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            for (; nextStanding < standings.size() && !standings.get(nextStanding).time().isAfter(t); nextStanding++) {
                NodeHistory.Event e = standings.get(nextStanding);
                cores.stand(e.nodeId(), e.cores(), e.status() == NodeHistory.Status.UP);
            }
            for (; next < changes.size() && !changes.get(next).at().isAfter(t); next++) {
                Change c = changes.get(next);
                cores.hold(c.node(), c.cores());
                running += c.running();
                queued += c.queued();
            }
            out.add(new Point(t, cores.total(), cores.allocated(), cores.oversubscribed(), running, queued));
        }
        return new UtilizationHistory(from, to, stepMillis / 1000, upNow, out);
    }

    /** The span's cores held ({@code sign} 1) or given back (-1) from {@code on} until {@code off}. */
    private static void holding(JobSearchQueries.Span s, Instant on, Instant off, int sign, List<Change> changes) {
        changes.add(new Change(on, null, 0, sign, 0));
        changes.add(new Change(off, null, 0, -sign, 0));
        if (s.coresByNode().isEmpty()) {
            changes.add(new Change(on, null, sign * (long) s.cpus(), 0, 0));
            changes.add(new Change(off, null, -sign * (long) s.cpus(), 0, 0));
            return;
        }
        s.coresByNode().forEach((node, cores) -> {
            changes.add(new Change(on, node, sign * (long) cores, 0, 0));
            changes.add(new Change(off, node, -sign * (long) cores, 0, 0));
        });
    }

    /** What a job adds to the figures from a time on (negative when it stops counting), on a node or none. */
    private record Change(Instant at, String node, long cores, long running, long queued) {
    }
}
