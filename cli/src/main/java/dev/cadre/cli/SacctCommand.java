package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.slurm.SacctFormat;
import dev.cadre.cli.slurm.SacctRow;
import dev.cadre.cli.slurm.SlurmTime;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sacct over the REST API. With -D (--duplicates) a job that was requeued shows each earlier run as a row of its
 * own, in the state that run ended in (REQUEUED, or NODE_FAIL when a node failure requeued it), before the job's
 * own row, as Slurm shows requeued jobs.
 */
final class SacctCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;

    SacctCommand(PrintStream out, PrintStream err, String config) {
        this.out = out;
        this.err = err;
        this.config = config;
    }

    int run(List<String> args) {
        List<String> fields = SacctFormat.DEFAULT_FIELDS;
        boolean header = true;
        SacctFormat.Parsable parsable = SacctFormat.Parsable.NO;
        boolean duplicates = false;
        String jobs = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") || a.equals("--noheader")) {
                header = false;
            } else if (a.equals("-p") || a.equals("--parsable")) {
                parsable = SacctFormat.Parsable.TRAILING_BAR;
            } else if (a.equals("-P") || a.equals("--parsable2")) {
                parsable = SacctFormat.Parsable.NO_TRAILING_BAR;
            } else if (a.equals("-D") || a.equals("--duplicates")) {
                duplicates = true;
            } else if (a.equals("-X") || a.equals("--allocations")) {
                continue;
            } else if ((a.equals("-j") || a.equals("--jobs") || a.equals("-o") || a.equals("--format"))
                    && i + 1 < args.size()) {
                String v = args.get(++i);
                if (a.equals("-j") || a.equals("--jobs")) {
                    jobs = v;
                } else {
                    fields = Arrays.asList(v.split(","));
                }
            } else if (a.startsWith("--jobs=")) {
                jobs = a.substring(7);
            } else if (a.startsWith("--format=")) {
                fields = Arrays.asList(a.substring(9).split(","));
            } else {
                err.println("sacct: error: Unknown option or missing value: " + a);
                return 1;
            }
        }
        try {
            RestClient rest = RestClient.fromConfig(config);
            JsonNode list = rest.get("/api/jobs?limit=10000" + (jobs == null ? "" : "&id=" + jobs));
            ZoneId zone = ZoneId.systemDefault();
            List<SacctRow> rows = new ArrayList<>();
            for (JsonNode j : list) {
                if (duplicates && wasRequeued(j)) {
                    rows.addAll(earlierRuns(j, rest.get("/api/jobs/" + j.path("id").asLong()), zone));
                }
                rows.add(row(j, zone));
            }
            SacctFormat.render(fields, rows, header, parsable).forEach(out::println);
            return 0;
        } catch (RestClient.ClientException | IllegalArgumentException e) {
            err.println("sacct: error: " + e.getMessage());
            return 1;
        }
    }

    /** A job that has run more than once, or is waiting to run again. */
    private static boolean wasRequeued(JsonNode j) {
        int attempt = j.path("attempt").asInt();
        String state = j.path("state").asText();
        return attempt > 1 || (attempt == 1 && (state.equals("PENDING") || state.equals("REQUEUED")));
    }

    static SacctRow row(JsonNode j, ZoneId zone) {
        boolean ran = j.hasNonNull("startTime") || j.hasNonNull("endTime");
        return new SacctRow(j.path("displayId").asText(j.path("id").asText()), j.path("id").asText(),
                j.path("name").asText(), "batch", "", j.path("cpus").asInt(), j.path("state").asText(),
                j.path("exitCode").asInt(0), j.path("signal").asInt(0),
                ran && j.hasNonNull("nodeList") ? j.get("nodeList").asText() : "None assigned",
                SlurmTime.formatDate(time(j, "startTime"), zone), SlurmTime.formatDate(time(j, "endTime"), zone));
    }

    /** The attempts that ended and were followed by another; the job's own row stands for the latest. */
    static List<SacctRow> earlierRuns(JsonNode summary, JsonNode withAttempts, ZoneId zone) {
        int current = summary.path("attempt").asInt();
        String state = summary.path("state").asText();
        boolean currentIsEarlier = state.equals("PENDING") || state.equals("REQUEUED");
        List<SacctRow> rows = new ArrayList<>();
        for (JsonNode a : withAttempts.path("attempts")) {
            if (a.path("attempt").asInt() == current && !currentIsEarlier) {
                continue;
            }
            rows.add(new SacctRow(summary.path("displayId").asText(), summary.path("id").asText(),
                    summary.path("name").asText(), "batch", "", summary.path("cpus").asInt(),
                    a.path("state").asText(), a.path("exitCode").asInt(0), a.path("signal").asInt(0),
                    a.path("nodes").asText("None assigned"), SlurmTime.formatDate(time(a, "startTime"), zone),
                    SlurmTime.formatDate(time(a, "endTime"), zone)));
        }
        return rows;
    }

    private static Instant time(JsonNode j, String field) {
        return j.hasNonNull(field) ? Instant.parse(j.get(field).asText()) : null;
    }
}
