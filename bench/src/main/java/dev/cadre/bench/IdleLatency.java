package dev.cadre.bench;

import java.util.List;

/**
 * Submit-to-RUNNING latencies of jobs run one at a time, and why the run stopped early, if it did.
 *
 * @param nanos one sample per job whose RUNNING event arrived, in submission order
 * @param requested how many jobs the run was to take
 * @param problem null when every job gave a sample and completed
 */
record IdleLatency(List<Long> nanos, int requested, String problem) {
    IdleLatency {
        nanos = List.copyOf(nanos);
    }

    boolean verified() {
        return problem == null;
    }

    LatencySummary summary() {
        return LatencySummary.of(List.of(nanos.stream().mapToLong(Long::longValue).toArray()));
    }

    /** The table's cell: the percentiles, and the failure in place of nothing when a job gave no sample. */
    String cell() {
        LatencySummary s = summary();
        String figures = String.format("%.2f / %.2f / %.2f", s.p50(), s.p90(), s.p99());
        return verified() ? figures
                : figures + " (failed after " + nanos.size() + " of " + requested + " jobs: " + problem + ")";
    }

    /** The column's header, naming the number of samples taken, not the number asked for. */
    String header() {
        return "submit→RUNNING p50 / p90 / p99 (ms, idle, " + nanos.size() + " jobs)";
    }
}
