package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SqueueFormat;
import dev.cadre.cli.slurm.SqueueRow;
import dev.cadre.protocol.JobState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** squeue over the REST API: jobs as "12", array tasks as "12_3", an array's pending tasks as "12_[4-99%4]". */
final class SqueueCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;

    SqueueCommand(PrintStream out, PrintStream err, String config) {
        this.out = out;
        this.err = err;
        this.config = config;
    }

    int run(List<String> args) {
        String format = SqueueFormat.DEFAULT;
        boolean header = true;
        String user = null;
        String jobs = null;
        String states = "PENDING,RUNNING,COMPLETING,REQUEUED";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "-h", "--noheader" -> header = false;
                case "--me" -> user = System.getProperty("user.name");
                case "-u", "--user", "-j", "--jobs", "-o", "--format", "-t", "--states" -> {
                    if (value == null) {
                        err.println("squeue: option '" + a + "' requires an argument");
                        return 1;
                    }
                    i++;
                    switch (a) {
                        case "-u", "--user" -> user = value;
                        case "-j", "--jobs" -> jobs = value;
                        case "-o", "--format" -> format = value;
                        default -> states = value;
                    }
                }
                default -> {
                    err.println("squeue: unrecognized option '" + a + "'");
                    return 1;
                }
            }
        }
        if (jobs != null && SlurmJobId.parseList(jobs).isEmpty()) {
            err.println("squeue: error: Invalid job id: " + jobs);
            return 1;
        }
        StringBuilder q = new StringBuilder("/api/jobs?limit=10000&state=").append(states.equalsIgnoreCase("all")
                ? "PENDING,RUNNING,COMPLETING,REQUEUED,COMPLETED,FAILED,CANCELLED,TIMEOUT,NODE_FAIL" : states);
        if (user != null) {
            q.append("&user=").append(user);
        }
        if (jobs != null) {
            // The API takes "12" for a job and every part of array 12, and "12_3" for one task, as squeue does.
            q.append("&id=").append(jobs);
        }
        try {
            JsonNode list = RestClient.fromConfig(config).get(q.toString());
            if (jobs != null && list.isEmpty()) {
                err.println("slurm_load_jobs error: Invalid job id specified");
                return 1;
            }
            Instant now = Instant.now();
            List<SqueueRow> rows = new ArrayList<>();
            for (JsonNode j : list) {
                rows.add(new SqueueRow(j.path("displayId").asText(j.path("id").asText()), "batch",
                        j.path("name").asText(), j.path("user").asText(),
                        JobState.valueOf(j.path("state").asText()).shortCode(), j.path("state").asText(),
                        elapsed(j, now), j.hasNonNull("timeLimitSeconds") ? j.get("timeLimitSeconds").asLong() : null,
                        j.path("nodes").asInt(), j.path("cpus").asInt(), nodesOrReason(j)));
            }
            SqueueFormat.render(format, rows, header).forEach(out::println);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("squeue: error: " + e.getMessage());
            return 1;
        }
    }

    private static long elapsed(JsonNode j, Instant now) {
        if (!j.hasNonNull("startTime")) {
            return 0;
        }
        Instant start = Instant.parse(j.get("startTime").asText());
        Instant end = j.hasNonNull("endTime") ? Instant.parse(j.get("endTime").asText()) : now;
        return Math.max(0, Duration.between(start, end).getSeconds());
    }

    /** The nodes of a job that holds some; else its reason (Dependency, JobHeldUser, BeginTime, ...). */
    private static String nodesOrReason(JsonNode j) {
        String state = j.path("state").asText();
        if ((state.equals("RUNNING") || state.equals("COMPLETING")) && j.hasNonNull("nodeList")) {
            return j.get("nodeList").asText();
        }
        String reason = j.hasNonNull("reason") ? j.get("reason").asText() : "None";
        // Reasons may carry details after a colon ("NodeFail: ..."); squeue shows the name alone.
        int colon = reason.indexOf(':');
        return "(" + (colon > 0 ? reason.substring(0, colon) : reason) + ")";
    }
}
