package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What GET /api/usage answers: the CPU time each user's jobs of each size held in the period, and the CPUs of the
 * cluster's nodes (the total that percentages are of); for cluster Utilization, GET /api/usage/cluster's figures.
 */
public record SreportUsage(long clusterCpus, List<Row> rows, Utilization utilization) {

    public SreportUsage(long clusterCpus, List<Row> rows) {
        this(clusterCpus, rows, null);
    }

    /** What GET /api/usage/cluster answers: the period's CPU-seconds, as sreport's cluster Utilization splits them. */
    public record Utilization(long reported, long allocated, long down, long plannedDown, long idle, long planned) {
        public static SreportUsage of(Json answer) {
            Json s = answer.path("cpuSeconds");
            return new SreportUsage(0, List.of(), new Utilization(s.path("reported").asLong(),
                    s.path("allocated").asLong(), s.path("down").asLong(), s.path("plannedDown").asLong(),
                    s.path("idle").asLong(), s.path("planned").asLong()));
        }
    }

    /** One user's jobs of one size: how many ran in the period, and CPUs times their seconds inside it. */
    public record Row(String user, int cpus, long jobs, long cpuSeconds) {
    }

    public static SreportUsage of(Json answer) {
        List<Row> rows = new ArrayList<>();
        for (Json r : answer.path("usage")) {
            rows.add(new Row(r.path("user").asText(), r.path("cpus").asInt(), r.path("jobs").asLong(),
                    r.path("cpuSeconds").asLong()));
        }
        return new SreportUsage(answer.path("clusterCpus").asLong(), List.copyOf(rows));
    }

    long total() {
        return rows.stream().mapToLong(Row::cpuSeconds).sum();
    }
}
