package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.SinfoFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.slurm.SinfoOptions;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.node.NodeIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** sbatch, scancel and sinfo over the REST API, with Slurm's output and exit codes. */
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
                    System.getProperty("user.name"), NodeIdentity.hostname(), Clock.systemDefaultZone());
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

    /** scancel 12 cancels a job or every task of array 12; scancel 12_3 one task. */
    int scancel(List<String> args) {
        if (args.isEmpty()) {
            err.println("scancel: error: No job identification provided");
            return 1;
        }
        int rc = 0;
        for (String a : args) {
            Optional<SlurmJobId> id = SlurmJobId.parse(a);
            if (id.isEmpty()) {
                err.println("scancel: error: Invalid job id " + a);
                rc = 1;
                continue;
            }
            try {
                RestClient.fromConfig(config).post("/api/jobs/" + id.get() + "/cancel", Map.of());
            } catch (RestClient.ClientException e) {
                if (e.status == 404) {
                    err.println("scancel: error: Kill job error on job id " + id.get() + ": Invalid job id specified");
                } else if (e.status == 409) {
                    err.println("scancel: error: Kill job error on job id " + id.get()
                            + ": Job/step already completing or completed");
                } else {
                    err.println("scancel: error: " + e.getMessage());
                }
                rc = 1;
            }
        }
        return rc;
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
