package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SlurmClusters;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SreportCommandLine;
import dev.cadre.cli.slurm.SreportReport;
import dev.cadre.cli.slurm.SreportRequest;
import dev.cadre.cli.slurm.SreportUsage;
import dev.cadre.cli.slurm.SreportWindow;
import dev.cadre.cli.slurm.UnixAccounts;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * sreport: usage reports from the head's job records. The head sums the CPU time of the period by user and job size
 * (GET /api/usage, one request), or for cluster Utilization splits its nodes' time (GET /api/usage/cluster); the report
 * is laid out here (cli/slurm's Sreport classes).
 */
final class SreportCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;

    SreportCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
    }

    int run(List<String> args) {
        CommandOptions<SreportCommandLine> read = CommandOptions.read(() -> SreportCommandLine.parse(args, env), out,
                err);
        if (read.exit() != null) {
            return read.exit();
        }
        SreportRequest request = read.options().report();
        try {
            SreportWindow window = SreportWindow.of(request.start(), request.end(), clock.instant(), clock.getZone());
            String period = "?start=" + window.start() + "&end=" + window.end();
            SreportUsage usage;
            if (request.kind() == SreportRequest.Kind.UTILIZATION) {
                usage = SreportUsage.Utilization.of(RestClient.fromConfig(config).get("/api/usage/cluster" + period));
            } else {
                usage = SreportUsage.of(RestClient.fromConfig(config).get("/api/usage" + period
                        + (request.users().isEmpty() ? "" : "&user=" + URLEncoder.encode(String.join(",",
                                request.users()), StandardCharsets.UTF_8))));
            }
            String cluster = SlurmClusters.name(env);
            StringBuilder text = new StringBuilder();
            for (String line : new SreportReport(request, window, usage, cluster).lines(clock.getZone(),
                    u -> UnixAccounts.system().properName(u).orElse(null))) {
                text.append(line).append('\n');
            }
            out.print(text);
            return 0;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        } catch (RestClient.ClientException e) {
            err.println("sreport: error: " + e.getMessage());
            return 1;
        }
    }
}
