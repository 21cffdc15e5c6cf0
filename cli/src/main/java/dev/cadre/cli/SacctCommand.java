package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SacctFormat;
import dev.cadre.cli.slurm.SacctOptions;
import dev.cadre.cli.slurm.SacctRow;
import dev.cadre.cli.slurm.SacctRows;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * sacct over the REST API: jobs, their batch steps (not with -X) and, with -D, the earlier runs of requeued jobs. The
 * job list is one request a page; a job's attempts (what each run used, its earlier runs) are read job by job, and only
 * for the jobs shown when a field or -D needs them.
 */
final class SacctCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final int jobPage;

    SacctCommand(PrintStream out, PrintStream err, String config, Clock clock) {
        this(out, err, config, clock, RestClient.JOB_PAGE);
    }

    /** @param jobPage jobs per page read from the API: smaller in tests, to see the pages followed */
    SacctCommand(PrintStream out, PrintStream err, String config, Clock clock, int jobPage) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.jobPage = jobPage;
    }

    int run(List<String> args) {
        CommandOptions<SacctOptions> read = CommandOptions.read(() -> SacctOptions.parse(args,
                System.getProperty("user.name"), clock), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SacctOptions o = read.options();
        o.notes().forEach(err::println);
        try {
            RestClient rest = RestClient.fromConfig(config);
            Instant now = clock.instant();
            boolean usage = SacctFormat.showsUsage(o.fields());
            List<SacctRow> rows = new ArrayList<>();
            for (Json j : jobs(rest, o)) {
                List<String> hosts = j.hasNonNull("nodeList") ? List.of(j.path("nodeList").asText().split(","))
                        : List.of();
                if (!o.selects(j.path("user").asText(), j.path("name").asText(),
                        JobState.valueOf(j.path("state").asText()), hosts, time(j, "submitTime"),
                        time(j, "endTime"))) {
                    continue;
                }
                boolean earlierRuns = o.duplicates() && SacctRows.wasRequeued(j);
                // A job that never started has no attempt to read.
                Json withAttempts = earlierRuns || usage && j.path("attempt").asInt() > 0 ? withAttempts(rest, j)
                        : null;
                if (earlierRuns && withAttempts != null) {
                    rows.addAll(SacctRows.earlierRuns(j, withAttempts, now));
                }
                rows.addAll(SacctRows.of(j, withAttempts, o.steps(), now));
            }
            StringBuilder text = new StringBuilder();
            for (String line : SacctFormat.render(o.fields(), rows, o.header(), o.parsable(), o.delimiter(),
                    clock.getZone(), o.units())) {
                text.append(line).append('\n');
            }
            out.print(text);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sacct: error: " + e.getMessage());
            return 1;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
    }

    /** The jobs named, or every job, a page at a time; the options' filters are applied by the caller. */
    private List<Json> jobs(RestClient rest, SacctOptions o) throws RestClient.ClientException {
        if (o.jobs() != null) {
            String ids = o.jobs().stream().map(SlurmJobId::toString).collect(Collectors.joining(","));
            // An array named by its id may have more parts than a page holds: every page is read.
            return rest.jobs("&id=" + ids, jobPage);
        }
        String user = o.users() != null && o.users().size() == 1
                ? "&user=" + URLEncoder.encode(o.users().iterator().next(), StandardCharsets.UTF_8) : "";
        return rest.jobs(user, jobPage);
    }

    /**
     * The job as GET /api/jobs/ID describes it, with its attempts; null when it is gone since the list was read (its
     * history pruned meanwhile): it is shown as listed, without them.
     */
    private static Json withAttempts(RestClient rest, Json j) throws RestClient.ClientException {
        try {
            return rest.get("/api/jobs/" + j.path("id").asLong());
        } catch (RestClient.ClientException e) {
            if (e.status == 404) {
                return null;
            }
            throw e;
        }
    }

    private static Instant time(Json j, String field) {
        return j.path(field).asInstant();
    }
}
