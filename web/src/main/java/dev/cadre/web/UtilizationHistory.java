package dev.cadre.web;

import dev.cadre.db.JobSearchQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GET /api/cluster/history: cores held and jobs queued at evenly spaced times, worked out from the jobs' stored
 * times, so the chart has a past as soon as the page opens and survives a restart of the head. A job counts with
 * its current (or last) attempt: the earlier attempts of a requeued job are not in the figures.
 *
 * @param coresTotal what the nodes UP now offer; the past totals are not stored
 */
record UtilizationHistory(Instant from, Instant to, long stepSeconds, long coresTotal, List<Point> points) {

    /** @param queued jobs submitted and neither started nor ended at that time */
    record Point(Instant time, long coresAllocated, long running, long queued) {
    }

    /**
     * One sweep over the jobs' changes in time order, not a pass over every job for every point: a job is queued
     * from its submission until it starts (or ends), and running, holding its cores, from its start until it ends;
     * at a point, whatever changed at or before it counts.
     */
    static UtilizationHistory of(List<JobSearchQueries.Span> spans, Instant to, Duration window, int points,
            long coresTotal) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<Change> changes = new ArrayList<>(spans.size() * 4);
        for (JobSearchQueries.Span s : spans) {
            Instant ended = s.ended() == null ? Instant.MAX : s.ended();
            Instant started = s.started() == null ? Instant.MAX
                    : s.started().isBefore(s.submitted()) ? s.submitted() : s.started();
            Instant queuedUntil = started.isBefore(ended) ? started : ended;
            if (s.submitted().isBefore(queuedUntil)) {
                changes.add(new Change(s.submitted(), 0, 0, 1));
                changes.add(new Change(queuedUntil, 0, 0, -1));
            }
            if (started.isBefore(ended)) {
                changes.add(new Change(started, s.cpus(), 1, 0));
                changes.add(new Change(ended, -s.cpus(), -1, 0));
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        List<Point> out = new ArrayList<>(points);
        long cores = 0;
        long running = 0;
        long queued = 0;
        int next = 0;
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            for (; next < changes.size() && !changes.get(next).at().isAfter(t); next++) {
                Change c = changes.get(next);
                cores += c.cores();
                running += c.running();
                queued += c.queued();
            }
            out.add(new Point(t, cores, running, queued));
        }
        return new UtilizationHistory(from, to, stepMillis / 1000, coresTotal, out);
    }

    /** What a job adds to the figures from a time on (negative when it stops counting). */
    private record Change(Instant at, long cores, long running, long queued) {
    }
}
