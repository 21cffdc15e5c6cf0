package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SstatFormat;
import dev.cadre.cli.slurm.SstatOptions;
import dev.cadre.cli.slurm.SstatReading;
import dev.cadre.cli.slurm.SstatRow;
import dev.cadre.cli.wire.Json;
import java.io.PrintStream;
import java.util.List;

/**
 * sstat over the REST API: what each running job named has used so far, read on its nodes by the head (GET
 * /api/jobs/ID/usage, one request per job), as one row for its batch step, or with -i a row per node with its
 * processes. The header comes first and each job's row as it is read, as sstat prints them.
 *
 * <p>Exit status: 1 when any job could not be shown (not running, unknown, a step other than the batch step, no node
 * answered), else 0. Slurm's sstat exits 0 even then (sstat.c's main returns 0 after its errors); a script cannot
 * tell a job it saw from one it did not, so Cadre's says so.
 */
final class SstatCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;

    SstatCommand(PrintStream out, PrintStream err, String config) {
        this.out = out;
        this.err = err;
        this.config = config;
    }

    int run(List<String> args) {
        CommandOptions<SstatOptions> read = CommandOptions.read(() -> SstatOptions.parse(args), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SstatOptions o = read.options();
        try {
            RestClient rest = RestClient.fromConfig(config);
            if (o.header()) {
                print(SstatFormat.header(o.fields(), o.parsable()));
            }
            int rc = 0;
            for (SstatOptions.Target target : o.targets()) {
                rc |= show(rest, target, o);
            }
            return rc;
        } catch (RestClient.ClientException e) {
            err.println("sstat: error: " + e.getMessage());
            return 1;
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return 1;
        }
    }

    /**
     * One job's rows, or its error on stderr.
     *
     * @return 0 when it was shown, else 1
     * @throws RestClient.ClientException when the head cannot be reached or refuses the client's credentials
     */
    private int show(RestClient rest, SstatOptions.Target target, SstatOptions o)
            throws RestClient.ClientException, SlurmUsageException {
        if (!target.batch()) {
            err.println("sstat: error: " + target + " not found running: a Cadre job has only its batch step, "
                    + target.job() + ".batch (which " + target.job() + " alone names too)");
            return 1;
        }
        Json answer;
        try {
            answer = rest.get("/api/jobs/" + target.job() + "/usage");
        } catch (RestClient.ClientException e) {
            // A head that cannot be reached, or refuses the credentials, would fail every other job too.
            if (e.status == 0 || e.status == 401 || e.status == 403) {
                throw e;
            }
            err.println("sstat: error: " + (e.getMessage().isEmpty() ? "job " + target.job() + ": HTTP " + e.status
                    : e.getMessage()));
            return 1;
        }
        SstatReading reading = SstatReading.of(answer, target.job().toString());
        reading.warnings().forEach(err::println);
        SstatRow step = reading.step();
        if (step == null) {
            err.println("sstat: error: no node of job " + reading.jobId() + " gave its figures; try again");
            return 1;
        }
        print(SstatFormat.render(o.fields(), o.pidFormat() ? reading.perNode() : List.of(step), o.parsable(),
                o.units()));
        return 0;
    }

    private void print(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        out.print(text);
        out.flush();
    }
}
