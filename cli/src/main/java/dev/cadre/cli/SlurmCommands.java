package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.slurm.SacctFormat;
import dev.cadre.cli.slurm.SacctRow;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.SinfoFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.slurm.SinfoOptions;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SqueueFormat;
import dev.cadre.cli.slurm.SqueueRow;
import dev.cadre.node.NodeIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** sbatch, squeue, scancel, sacct and sinfo over the REST API, with Slurm's output and exit codes. */
final class SlurmCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;

    SlurmCommands(PrintStream out, PrintStream err, String config) {
        this.out = out;
        this.err = err;
        this.config = config;
    }

    int sbatch(List<String> args) {
        try {
            String cwd = Path.of("").toAbsolutePath().toString();
            SbatchRequest request = SbatchCommandLine.parse(args, SlurmCommands::readScript, System.getenv(), cwd,
                    System.getProperty("user.name"), NodeIdentity.hostname());
            request.warnings().forEach(err::println);
            JsonNode reply = RestClient.fromConfig(config).post("/api/jobs",
                    Map.of("submissionId", UUID.randomUUID().toString(), "spec", request.spec()));
            long id = reply.path("jobId").asLong();
            out.println(request.parsable() ? Long.toString(id) : "Submitted batch job " + id);
            return 0;
        } catch (SlurmUsageException e) {
            for (String line : e.lines()) {
                // getopt's complaints carry no "error:" in Slurm; everything else does.
                err.println(line.startsWith("unrecognized option") || line.startsWith("invalid option")
                        || line.startsWith("option '") ? "sbatch: " + line : "sbatch: error: " + line);
            }
            return 1;
        } catch (RestClient.ClientException e) {
            err.println("sbatch: error: Batch job submission failed: " + e.getMessage());
            return 1;
        }
    }

    private static String readScript(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int squeue(List<String> args) {
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
        StringBuilder q = new StringBuilder("/api/jobs?limit=10000&state=").append(states.equalsIgnoreCase("all")
                ? "PENDING,RUNNING,COMPLETING,REQUEUED,COMPLETED,FAILED,CANCELLED,TIMEOUT,NODE_FAIL" : states);
        if (user != null) {
            q.append("&user=").append(user);
        }
        if (jobs != null) {
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
                rows.add(new SqueueRow(j.path("id").asText(), "batch", j.path("name").asText(), j.path("user").asText(),
                        dev.cadre.protocol.JobState.valueOf(j.path("state").asText()).shortCode(),
                        j.path("state").asText(), elapsed(j, now),
                        j.hasNonNull("timeLimitSeconds") ? j.get("timeLimitSeconds").asLong() : null,
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

    private static String nodesOrReason(JsonNode j) {
        String state = j.path("state").asText();
        if ((state.equals("RUNNING") || state.equals("COMPLETING")) && j.hasNonNull("nodeList")) {
            return j.get("nodeList").asText();
        }
        String reason = j.hasNonNull("reason") ? j.get("reason").asText() : "None";
        int colon = reason.indexOf(':');
        return "(" + (colon > 0 ? reason.substring(0, colon) : reason) + ")";
    }

    int scancel(List<String> args) {
        if (args.isEmpty()) {
            err.println("scancel: error: No job identification provided");
            return 1;
        }
        int rc = 0;
        for (String a : args) {
            long id;
            try {
                id = Long.parseLong(a);
            } catch (NumberFormatException e) {
                err.println("scancel: error: Invalid job id " + a);
                rc = 1;
                continue;
            }
            try {
                RestClient.fromConfig(config).post("/api/jobs/" + id + "/cancel", Map.of());
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    err.println("scancel: error: Kill job error on job id " + id + ": Invalid job id specified");
                } else if (e.status == 409) {
                    err.println("scancel: error: Kill job error on job id " + id
                            + ": Job/step already completing or completed");
                } else {
                    err.println("scancel: error: " + e.getMessage());
                }
                rc = 1;
            }
        }
        return rc;
    }

    int sacct(List<String> args) {
        List<String> fields = SacctFormat.DEFAULT_FIELDS;
        boolean header = true;
        boolean parsable = false;
        String jobs = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-n") || a.equals("--noheader")) {
                header = false;
            } else if (a.equals("-P") || a.equals("--parsable2") || a.equals("-p") || a.equals("--parsable")) {
                parsable = true;
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
            JsonNode list = RestClient.fromConfig(config).get("/api/jobs?limit=10000"
                    + (jobs == null ? "" : "&id=" + jobs));
            List<SacctRow> rows = new ArrayList<>();
            for (JsonNode j : list) {
                rows.add(new SacctRow(j.path("id").asText(), j.path("name").asText(), "batch", "",
                        j.path("cpus").asInt(), j.path("state").asText(), j.path("exitCode").asInt(0),
                        j.path("signal").asInt(0)));
            }
            SacctFormat.render(fields, rows, header, parsable).forEach(out::println);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sacct: error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("sacct: error: " + e.getMessage());
            return 1;
        }
    }

    int sinfo(List<String> args, Map<String, String> env) {
        SinfoOptions options;
        try {
            options = SinfoOptions.parse(args, env);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
        if (options.help() != null) {
            out.print(options.help());
            return 0;
        }
        SinfoFormat.problems(options).forEach(err::println);
        try {
            List<SinfoNode> nodes = new ArrayList<>();
            for (JsonNode n : RestClient.fromConfig(config).get("/api/nodes")) {
                nodes.add(sinfoNode(n));
            }
            SinfoFormat.render(options, nodes, Clock.systemDefaultZone()).forEach(out::println);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sinfo: error: " + e.getMessage());
            return 1;
        }
    }

    /** A DOWN node's reason dates from the last time the head heard from it. */
    private static SinfoNode sinfoNode(JsonNode n) {
        String reason = n.hasNonNull("reason") ? n.get("reason").asText() : null;
        Instant since = reason != null && n.hasNonNull("lastSeen") ? Instant.parse(n.get("lastSeen").asText()) : null;
        return new SinfoNode(n.path("hostname").asText(), n.path("cores").asInt(),
                n.path("allocated").path("cores").asInt(), n.path("memoryMb").asLong(), n.path("gpus").asInt(),
                n.path("state").asText().equals("DOWN"), reason, since);
    }
}
