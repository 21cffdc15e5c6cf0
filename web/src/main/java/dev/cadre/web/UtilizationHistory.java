package dev.cadre.web;

import dev.cadre.db.JobSearchQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    static UtilizationHistory of(List<JobSearchQueries.Span> spans, Instant to, Duration window, int points,
            long coresTotal) {
        Instant from = to.minus(window);
        long stepMillis = Math.max(1, window.toMillis() / (points - 1));
        List<Point> out = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            Instant t = i == points - 1 ? to : from.plusMillis(stepMillis * i);
            long cores = 0;
            long running = 0;
            long queued = 0;
            for (JobSearchQueries.Span s : spans) {
                boolean ended = s.ended() != null && !s.ended().isAfter(t);
                if (s.submitted().isAfter(t) || ended) {
                    continue;
                }
                if (s.started() != null && !s.started().isAfter(t)) {
                    running++;
                    cores += s.cpus();
                } else {
                    queued++;
                }
            }
            out.add(new Point(t, cores, running, queued));
        }
        return new UtilizationHistory(from, to, stepMillis / 1000, coresTotal, out);
    }
}
