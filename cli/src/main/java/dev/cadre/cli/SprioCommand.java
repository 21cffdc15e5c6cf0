package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.ShareReport;
import dev.cadre.cli.slurm.SprioFormat;
import dev.cadre.cli.slurm.SprioJob;
import dev.cadre.cli.slurm.SprioOptions;
import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * sprio over the REST API: the pending jobs (GET /api/jobs) with their priority split into Slurm's factors, by the
 * rule squeue's %Q and scontrol's Priority= follow (SprioJob), and their users' fair-share factors and the head's
 * weight for them (GET /api/shares). -w alone asks only for the weight.
 */
final class SprioCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final Map<String, String> env;

    SprioCommand(PrintStream out, PrintStream err, String config, Clock clock, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.env = env;
    }

    int run(List<String> args) {
        CommandOptions<SprioOptions> read = CommandOptions.read(() -> SprioOptions.parse(args, env), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SprioOptions o = read.options();
        List<SprioJob> jobs = new ArrayList<>();
        ShareReport shares;
        try {
            RestClient rest = RestClient.fromConfig(config);
            shares = ShareReport.of(rest.get("/api/shares"));
            if (!o.weights() || o.jobs() != null) {
                Instant now = clock.instant();
                for (Json j : rest.jobs(query(o), RestClient.JOB_PAGE)) {
                    if (SprioJob.listed(j, now)) {
                        SprioJob job = SprioJob.of(j, now, shares.shares());
                        if (o.picks(job)) {
                            jobs.add(job);
                        }
                    }
                }
            }
        } catch (RestClient.ClientException e) {
            err.println("sprio: error: Couldn't get priority factors from controller: " + e.getMessage());
            return 1;
        }
        StringBuilder text = new StringBuilder();
        for (String line : SprioFormat.render(o, jobs, shares.weight())) {
            text.append(line).append('\n');
        }
        out.print(text);
        return 0;
    }

    /** The jobs named, or the pending ones (of the one user asked for); the options pick among them. */
    private static String query(SprioOptions o) {
        if (o.jobs() != null && !o.jobs().isEmpty()) {
            return "&id=" + o.jobs().stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        String query = "&state=PENDING,REQUEUED";
        if (o.users() != null && o.users().size() == 1) {
            query += "&user=" + URLEncoder.encode(o.users().iterator().next(), StandardCharsets.UTF_8);
        }
        return query;
    }
}
