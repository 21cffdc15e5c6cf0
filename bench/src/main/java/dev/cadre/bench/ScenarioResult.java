package dev.cadre.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one scenario measured, and whether it held up: every submission accepted, none rejected, and SQLite
 * holding exactly as many new jobs as were accepted.
 */
record ScenarioResult(Scenario scenario, int accepted, int rejected, int sendFailures, long committed,
        double seconds, LatencySummary latency, String problem) {

    double jobsPerSecond() {
        return accepted / seconds;
    }

    boolean verified() {
        return problem == null && rejected == 0 && sendFailures == 0 && committed == accepted
                && accepted == scenario.jobs();
    }

    static String markdownTable(List<ScenarioResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | protocol | clients | window | jobs | seconds | accepted jobs/s"
                + " | p50 ms | p90 ms | p99 ms | max ms | committed to SQLite |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ScenarioResult r : results) {
            Scenario s = r.scenario();
            b.append(String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %.2f | %,.0f | %.2f | %.2f | %.2f | %.2f | %s |%n",
                    s.name(), s.protocol().label(), s.clients(), s.window(), s.jobs(), r.seconds(),
                    r.jobsPerSecond(), r.latency().p50(), r.latency().p90(), r.latency().p99(), r.latency().max(),
                    r.verified() ? "yes, " + r.committed() + " rows" : "NO: " + r.describeFailure()));
        }
        return b.toString();
    }

    String describeFailure() {
        StringBuilder b = new StringBuilder();
        b.append(accepted).append(" accepted, ").append(committed).append(" rows");
        if (rejected > 0) {
            b.append(", ").append(rejected).append(" rejected");
        }
        if (sendFailures > 0) {
            b.append(", ").append(sendFailures).append(" sends failed");
        }
        if (problem != null) {
            b.append(", first problem: ").append(problem.replace('|', '/').replace('\n', ' '));
        }
        return b.toString();
    }
}
