package dev.cadre.cli;

import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.wire.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * scontrol write batch_script JOBID [FILE]: the job's batch script as sbatch sent it (GET /api/jobs/{id}'s spec), to
 * FILE, to {@code slurm-JOBID.sh} by default, or to stdout for "-", with scontrol's messages. The file is written
 * only once the script is in hand, so a failed retrieval leaves nothing behind, as scontrol removes its file then.
 */
final class ScontrolBatchScript {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Path cwd;

    ScontrolBatchScript(PrintStream out, PrintStream err, String config, Path cwd) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.cwd = cwd;
    }

    /** @param args what follows "write": "batch_script", the job and the optional file */
    int run(List<String> args) throws RestClient.ClientException {
        if (args.isEmpty()) {
            err.println("too few arguments for keyword:write");
            return 1;
        }
        // scontrol takes the keyword from its first five letters on ("batch").
        String what = args.get(0).toLowerCase(Locale.ROOT);
        if (what.length() < 5 || !"batch_script".startsWith(what)) {
            err.println("invalid write argument:" + args.get(0));
            return 1;
        }
        if (args.size() < 2) {
            err.println("too few arguments for keyword:" + args.get(0));
            return 1;
        }
        if (args.size() > 3) {
            err.println("too many arguments for keyword:" + args.get(0));
            return 1;
        }
        String given = args.get(1);
        Optional<SlurmJobId> id = SlurmJobId.parse(given);
        if (id.isEmpty()) {
            err.println("job script retrieval failed: Invalid job id specified");
            return 1;
        }
        // scontrol reads the id with atoll: a task's script is written under its array's number.
        int underscore = given.indexOf('_');
        String number = underscore < 0 ? given : given.substring(0, underscore);
        String file = args.size() == 3 ? args.get(2) : "slurm-" + number + ".sh";
        Json job;
        try {
            job = RestClient.fromConfig(config).get("/api/jobs/" + id.get());
        } catch (RestClient.ClientException e) {
            if (e.status != 404) {
                throw e;
            }
            err.println("job script retrieval failed: Invalid job id specified");
            return 1;
        }
        String script = job.path("spec").path("script").asText(null);
        if (script == null) {
            err.println("job script retrieval failed: No job script available");
            return 1;
        }
        if (file.equals("-")) {
            out.print(script);
            return 0;
        }
        try {
            Files.writeString(cwd.resolve(file), script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("failed to open file `" + file + "`: " + reason(e));
            return 1;
        }
        out.println("batch script for job " + number + " written to " + file);
        return 0;
    }

    /** strerror's words for what went wrong, as scontrol's %m prints them. */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() != null && e.getMessage().contains("Is a directory") ? "Is a directory"
                : String.valueOf(e.getMessage());
    }
}
