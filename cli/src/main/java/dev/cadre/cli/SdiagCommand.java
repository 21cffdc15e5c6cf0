package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SdiagFormat;
import dev.cadre.cli.slurm.SdiagOptions;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.DiagnosticsReport;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sdiag over the REST API: the scheduler's statistics (GET /api/diagnostics) in sdiag's layout, or with -r their reset
 * (POST /api/diagnostics/reset), which only an operator ({@link SlurmOperator}) may ask for, as in Slurm; anyone else
 * gets slurmctld's refusal and nothing reaches the head.
 */
final class SdiagCommand {
    /** sdiag exits with slurm_reset_statistics' -1 when the controller refuses. */
    static final int REFUSED = 255;

    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;

    SdiagCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
    }

    /** @param operator the caller may reset the statistics */
    int run(List<String> args, boolean operator) {
        CommandOptions<SdiagOptions> read = CommandOptions.read(() -> SdiagOptions.parse(args, env), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SdiagOptions o = read.options();
        try {
            if (o.reset()) {
                if (!operator) {
                    err.println("slurm_reset_statistics: Access/permission denied");
                    return REFUSED;
                }
                RestClient.fromConfig(config).post("/api/diagnostics/reset",
                        Map.of("user", System.getProperty("user.name")));
                out.println("Reset scheduling statistics");
                return 0;
            }
            Json report = RestClient.fromConfig(config).get("/api/diagnostics");
            if (o.json()) {
                out.println(report);
                return 0;
            }
            StringBuilder text = new StringBuilder();
            for (String line : SdiagFormat.render(reportOf(report), o.order(), clock.getZone())) {
                text.append(line).append('\n');
            }
            out.print(text);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sdiag: error: " + e.getMessage());
            return 1;
        }
    }

    /** GET /api/diagnostics's answer (docs/openapi.json, DiagnosticsReport). */
    static DiagnosticsReport reportOf(Json r) {
        Json j = r.path("jobs");
        Json s = r.path("schedule");
        List<DiagnosticsReport.MessageTally> messages = new ArrayList<>();
        for (Json m : r.path("messages")) {
            messages.add(new DiagnosticsReport.MessageTally(m.path("type").asText(), m.path("count").asLong(),
                    m.path("totalMicros").asLong(), m.path("averageMicros").asLong()));
        }
        return new DiagnosticsReport(r.path("time").asInstant(), r.path("since").asInstant(),
                r.path("serverThreads").asInt(), new DiagnosticsReport.Jobs(j.path("submitted").asLong(),
                        j.path("started").asLong(), j.path("completed").asLong(), j.path("cancelled").asLong(),
                        j.path("failed").asLong(), j.path("timedOut").asLong(), j.path("outOfMemory").asLong(),
                        j.path("nodeFailed").asLong(), j.path("requeued").asLong(), j.path("pending").asInt(),
                        j.path("running").asInt(), j.path("countedAt").asInstant()),
                new DiagnosticsReport.Schedule(s.path("cycles").asLong(), s.path("lastMicros").asLong(),
                        s.path("maxMicros").asLong(), s.path("meanMicros").asLong(), s.path("totalMicros").asLong(),
                        s.path("meanDepth").asLong(), s.path("lastDepth").asLong(), s.path("lastCycleAt").asInstant()),
                List.copyOf(messages));
    }
}
