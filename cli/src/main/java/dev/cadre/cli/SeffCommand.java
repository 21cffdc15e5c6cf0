package dev.cadre.cli;

import dev.cadre.cli.slurm.SeffCommandLine;
import dev.cadre.cli.slurm.SeffReport;
import dev.cadre.cli.slurm.SlurmClusters;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.UnixAccounts;
import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * seff: one job's CPU and memory efficiency from its accounting record (GET /api/jobs/ID, one request), in the
 * layout of Slurm's contributed seff script. Exit codes are seff's: 1 for its usage and version texts, 2 for a job
 * not found.
 */
final class SeffCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;

    SeffCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
    }

    int run(List<String> args) {
        SeffCommandLine line = SeffCommandLine.parse(args);
        line.warnings().forEach(err::println);
        if (line.version()) {
            out.println(SeffCommandLine.VERSION);
            return 1;
        }
        if (line.help() || line.operands().size() != 1) {
            out.print(SeffCommandLine.USAGE);
            return 1;
        }
        try {
            SlurmJobId id = SeffCommandLine.job(line.operands().get(0));
            Json job;
            try {
                job = RestClient.fromConfig(config).get("/api/jobs/" + id);
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    err.println("Job not found.");
                    return 2;
                }
                throw e;
            }
            String cluster = SlurmClusters.name(env);
            String group = UnixAccounts.system().group(job.path("user").asText("")).orElse("");
            SeffReport report = SeffReport.of(job, clock.instant(), cluster, group);
            StringBuilder text = new StringBuilder();
            for (String l : line.debug() ? report.debugLines() : List.<String>of()) {
                text.append(l).append('\n');
            }
            for (String l : report.lines()) {
                text.append(l).append('\n');
            }
            out.print(text);
            return 0;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return e.exitCode();
        } catch (RestClient.ClientException e) {
            err.println("seff: error: " + e.getMessage());
            return 1;
        }
    }
}
