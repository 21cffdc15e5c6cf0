package dev.cadre.web;

import dev.cadre.protocol.DiagnosticsReport;
import dev.cadre.protocol.JobState;
import java.util.Map;

/**
 * GET /metrics: the scheduler's statistics (sdiag's figures) and the jobs and nodes by state in Prometheus' text
 * exposition format 0.0.4, each metric with its HELP and TYPE lines. Times are in seconds, as Prometheus names them.
 * The counters start again at 0 on a reset (sdiag -r), which Prometheus' rate() and increase() take as a counter
 * reset; cadre_statistics_start_time_seconds says when.
 */
final class MetricsText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(4096);

    private MetricsText() {
    }

    /**
     * @param jobsByState every stored job record by state
     * @param nodesUp nodes UP (drained ones too); nodesDown DOWN ones; nodesDrained those drained, UP or DOWN
     */
    static String render(DiagnosticsReport r, Map<JobState, Long> jobsByState, int nodesUp, int nodesDown,
            int nodesDrained) {
        MetricsText m = new MetricsText();
        m.one("cadre_statistics_start_time_seconds", "gauge",
                "When the counters began: the head's start or the last reset (sdiag -r), in Unix seconds.",
                r.since().toEpochMilli() / 1000.0);
        m.one("cadre_server_threads", "gauge", "Live threads of the head's JVM.", r.serverThreads());
        DiagnosticsReport.Jobs j = r.jobs();
        m.one("cadre_jobs_submitted_total", "counter", "Jobs submitted and stored.", j.submitted());
        m.one("cadre_jobs_started_total", "counter", "Jobs moved from PENDING to RUNNING.", j.started());
        m.one("cadre_jobs_completed_total", "counter", "Jobs ended COMPLETED.", j.completed());
        m.one("cadre_jobs_cancelled_total", "counter", "Jobs ended CANCELLED.", j.cancelled());
        m.one("cadre_jobs_failed_total", "counter", "Jobs ended FAILED.", j.failed());
        m.one("cadre_jobs_timed_out_total", "counter", "Jobs ended TIMEOUT.", j.timedOut());
        m.one("cadre_jobs_out_of_memory_total", "counter", "Jobs ended OUT_OF_MEMORY.", j.outOfMemory());
        m.one("cadre_jobs_node_failed_total", "counter", "Jobs ended NODE_FAIL.", j.nodeFailed());
        m.one("cadre_jobs_requeued_total", "counter", "Jobs requeued.", j.requeued());
        m.one("cadre_scheduler_pending_jobs", "gauge", "Job records pending as the last scheduling pass found them.",
                j.pending());
        m.one("cadre_scheduler_running_jobs", "gauge",
                "Job records holding nodes (RUNNING, COMPLETING, SUSPENDED) as the last scheduling pass found them.",
                j.running());
        DiagnosticsReport.Schedule s = r.schedule();
        m.one("cadre_schedule_cycles_total", "counter", "Scheduling passes.", s.cycles());
        m.one("cadre_schedule_cycle_seconds_total", "counter", "Time the scheduling passes took.",
                seconds(s.totalMicros()));
        m.one("cadre_schedule_last_cycle_seconds", "gauge", "Time the last scheduling pass took.",
                seconds(s.lastMicros()));
        m.one("cadre_schedule_max_cycle_seconds", "gauge", "Time the longest scheduling pass took.",
                seconds(s.maxMicros()));
        m.one("cadre_schedule_mean_depth", "gauge", "Pending jobs the placement policy read per pass, on average.",
                s.meanDepth());
        m.head("cadre_messages_total", "counter", "Messages the scheduler handled, by wire type.");
        for (DiagnosticsReport.MessageTally t : r.messages()) {
            m.sample("cadre_messages_total", "type", t.type(), t.count());
        }
        m.head("cadre_message_seconds_total", "counter", "Time the scheduler took to handle messages, by wire type.");
        for (DiagnosticsReport.MessageTally t : r.messages()) {
            m.sample("cadre_message_seconds_total", "type", t.type(), seconds(t.totalMicros()));
        }
        m.head("cadre_jobs", "gauge", "Stored job records by state (an array's pending tasks count once).");
        for (JobState state : JobState.values()) {
            m.sample("cadre_jobs", "state", state.name(), jobsByState.getOrDefault(state, 0L));
        }
        m.head("cadre_nodes", "gauge", "Nodes the head knows, by state.");
        m.sample("cadre_nodes", "state", "UP", nodesUp);
        m.sample("cadre_nodes", "state", "DOWN", nodesDown);
        m.one("cadre_nodes_drained", "gauge", "Nodes drained, UP or DOWN.", nodesDrained);
        return m.text.toString();
    }

    private static double seconds(long micros) {
        return micros / 1_000_000.0;
    }

    private void one(String name, String type, String help, double value) {
        head(name, type, help);
        text.append(name).append(' ').append(number(value)).append('\n');
    }

    private void head(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String label, String value, double sample) {
        text.append(name).append('{').append(label).append("=\"").append(escaped(value)).append("\"} ")
                .append(number(sample)).append('\n');
    }

    /** Whole numbers without a fraction, as Prometheus' own clients write them. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A label value's backslashes, quotes and line breaks, escaped as the format asks. */
    private static String escaped(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
