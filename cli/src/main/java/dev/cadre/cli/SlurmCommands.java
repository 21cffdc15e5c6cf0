package dev.cadre.cli;

import dev.cadre.cli.wire.Json;
import dev.cadre.cli.slurm.BatchScript;
import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.NodeReservations;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.ScancelOptions;
import dev.cadre.cli.slurm.ScancelTargets;
import dev.cadre.cli.slurm.SinfoFormat;
import dev.cadre.cli.slurm.SinfoNode;
import dev.cadre.cli.slurm.SinfoOptions;
import dev.cadre.cli.slurm.SinfoReservations;
import dev.cadre.cli.slurm.SlurmJobId;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SqueueJob;
import dev.cadre.protocol.AdvanceReservation;
import dev.cadre.protocol.JobSpecValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** sbatch, scancel and sinfo over the REST API, with Slurm's output and exit codes. */
final class SlurmCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Clock clock;
    private final int jobPage;
    private Duration patience = PatientControl.PATIENCE;

    SlurmCommands(PrintStream out, PrintStream err, String config) {
        this(out, err, config, new LocalClock());
    }

    /** @param clock now, and the local time zone, looked up only by the commands that print or read dates */
    SlurmCommands(PrintStream out, PrintStream err, String config, Clock clock) {
        this(out, err, config, clock, RestClient.JOB_PAGE);
    }

    /** @param jobPage jobs per page read from the API: smaller in tests, to see the pages followed */
    SlurmCommands(PrintStream out, PrintStream err, String config, Clock clock, int jobPage) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.clock = clock;
        this.jobPage = jobPage;
    }

    /** How long scancel sends again a change the head leaves unanswered ({@link PatientControl}); shorter in tests. */
    SlurmCommands patience(Duration patience) {
        this.patience = patience;
        return this;
    }

    int sbatch(List<String> args) {
        return sbatch(args, SlurmOperator.is(System.getProperty("user.name"), config));
    }

    /** @param operator the caller may set a priority or a negative nice ({@link SlurmOperator}) */
    int sbatch(List<String> args, boolean operator) {
        try {
            String cwd = Path.of("").toAbsolutePath().toString();
            ScriptFiles scripts = new ScriptFiles();
            SbatchRequest request = SbatchCommandLine.parse(args, scripts, System.getenv(), cwd,
                    System.getProperty("user.name"), SubmitHost.name(), clock);
            if (request.help() != null) {
                out.print(request.help());
                return 0;
            }
            SlurmOperator.checkJobSettings(operator, request.spec().priority(), request.spec().nice(),
                    "Batch job submission failed");
            if (!request.quiet()) {
                request.warnings().forEach(err::println);
                for (String path : scripts.notUtf8) {
                    err.println("sbatch: warning: " + path + " is not UTF-8 text; read as ISO-8859-1 (Latin-1), its"
                            + " non-ASCII characters reach the job as UTF-8");
                }
            }
            RestClient rest = RestClient.fromConfig(config);
            if (request.testOnly()) {
                return JobTrial.ask(rest, request.spec(), err, clock.getZone(), "sbatch");
            }
            long id = PatientSubmission.over(rest, err, "sbatch").submit(SubmissionId.fresh(), request.spec());
            out.println(request.parsable() ? Long.toString(id) : "Submitted batch job " + id);
            if (!request.waitForEnd()) {
                return 0;
            }
            out.flush();
            return new JobEndWait(rest, err).await(id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (SlurmUsageException e) {
            if (e.lines().get(e.lines().size() - 1).equals(SbatchCommandLine.TRY_HELP)) {
                // getopt's complaint, which carries no "error:" in Slurm, and sbatch's line after it, no prefix.
                err.println("sbatch: " + e.lines().get(0));
                err.println(SbatchCommandLine.TRY_HELP);
            } else {
                e.lines().forEach(line -> err.println("sbatch: error: " + line));
            }
            return e.exitCode();
        } catch (RestClient.ClientException e) {
            for (String line : SubmissionRefusal.lines("Batch job submission failed", e)) {
                err.println("sbatch: error: " + line);
            }
            return 1;
        }
    }

    /**
     * Reads sbatch's script as bytes, as Slurm takes it, noting files that are not UTF-8 ({@link BatchScript#text});
     * a class rather than a method reference, which would cost sbatch a lambda.
     */
    static final class ScriptFiles implements Function<String, String> {
        final List<String> notUtf8 = new ArrayList<>();

        @Override
        public String apply(String path) {
            try {
                // Standard input is read only as far as the largest script the head takes.
                byte[] bytes = path == null ? System.in.readNBytes(JobSpecValidator.MAX_SCRIPT_BYTES + 1)
                        : Files.readAllBytes(Path.of(path));
                if (path == null && bytes.length > JobSpecValidator.MAX_SCRIPT_BYTES) {
                    throw new IOException("it is longer than " + JobSpecValidator.MAX_SCRIPT_BYTES + " bytes");
                }
                if (!BatchScript.isUtf8(bytes)) {
                    notUtf8.add(path == null ? "the script on standard input" : path);
                }
                return BatchScript.text(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * scancel: silent when it does what was asked. 12 cancels a job or every task of array 12, 12_3 one task; the
     * filters (-u, -n, -t, -w) pick among the jobs named, or among every job not ended when none is named.
     */
    int scancel(List<String> args) {
        CommandOptions<ScancelOptions> read = CommandOptions.read(() -> ScancelOptions.parse(args,
                System.getProperty("user.name")), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        ScancelOptions o = read.options();
        try {
            RestClient rest = RestClient.fromConfig(config);
            List<String> ids = targets(rest, o);
            PatientControl control = PatientControl.over(rest, err, "scancel", patience);
            int rc = 0;
            if (o.signal() == null) {
                ScancelTaskLists lists = ScancelTaskLists.of(ids);
                rc |= lists.cancel(control, o.verbose(), err);
                ids = lists.singles();
            }
            for (String id : ids) {
                rc |= cancel(control, id, o);
            }
            return rc;
        } catch (RestClient.ClientException e) {
            err.println("scancel: error: " + e.getMessage());
            return 1;
        }
    }

    /** The ids to act on: those named that pass the filters, or every job not ended that does, from every page. */
    private List<String> targets(RestClient rest, ScancelOptions o) throws RestClient.ClientException {
        List<String> ids = new ArrayList<>();
        if (!o.jobs().isEmpty() && !o.filtered()) {
            o.jobs().forEach(id -> ids.add(id.toString()));
            return ids;
        }
        String query = o.jobs().isEmpty() ? "&state=PENDING,RUNNING,COMPLETING,REQUEUED,SUSPENDED"
                + (o.user() == null ? "" : "&user=" + URLEncoder.encode(o.user(), StandardCharsets.UTF_8))
                : "&id=" + o.jobs().stream().map(SlurmJobId::toString).collect(Collectors.joining(","));
        List<SqueueJob> found = new ArrayList<>();
        for (Json j : rest.jobs(query, jobPage)) {
            found.add(SqueueJob.of(j));
        }
        return ScancelTargets.of(o, found);
    }

    private int cancel(PatientControl rest, String id, ScancelOptions o) throws RestClient.ClientException {
        try {
            if (o.signal() == null) {
                if (o.verbose()) {
                    err.println("scancel: Terminating job " + id);
                }
                rest.post("/api/jobs/" + id + "/cancel", CancelBody.of(Map.of()));
            } else {
                if (o.verbose()) {
                    err.println("scancel: Signal " + o.signal() + " to job " + id);
                }
                rest.post("/api/jobs/" + id + "/signal", Map.of("signal", o.signal(), "batchOnly", o.batchOnly()));
            }
            return 0;
        } catch (RestClient.ClientException e) {
            if (e.status == 0 && e.answer != RestClient.Answer.NONE) {
                throw e;
            }
            String why = e.status == 404 ? "Invalid job id specified"
                    : e.status == 409 && "PENDING".equals(e.state) ? "Job is pending execution"
                    : e.status == 409 ? "Job/step already completing or completed"
                    : e.getMessage() + e.mayStillBeCarriedOut("'squeue -j " + id + "' or 'sacct -j " + id + "'");
            err.println("scancel: error: Kill job error on job id " + id + ": " + why);
            return 1;
        }
    }

    int sinfo(List<String> args, Map<String, String> env) {
        CommandOptions<SinfoOptions> read = CommandOptions.read(() -> SinfoOptions.parse(args, env), out, err);
        if (read.exit() != null) {
            return read.exit();
        }
        SinfoOptions options = read.options();
        try {
            RestClient rest = RestClient.fromConfig(config);
            if (options.reservations()) {
                SinfoReservations.render(reservationList(rest), options.header(), clock.instant(), clock.getZone())
                        .forEach(out::println);
                return 0;
            }
            SinfoFormat.problems(options).forEach(err::println);
            NodeReservations held = reservations(rest, clock.instant());
            List<SinfoNode> nodes = new ArrayList<>();
            for (Json n : rest.get("/api/nodes")) {
                nodes.add(held.apply(sinfoNode(n)));
            }
            SinfoFormat.render(options, nodes, clock).forEach(out::println);
            return 0;
        } catch (RestClient.ClientException e) {
            err.println("sinfo: error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Which nodes the head's reservations hold now; none from a head older than its reservations (404), so sinfo
     * still shows its nodes.
     */
    static NodeReservations reservations(RestClient rest, Instant now) throws RestClient.ClientException {
        return NodeReservations.of(reservationList(rest), now);
    }

    private static List<AdvanceReservation> reservationList(RestClient rest) throws RestClient.ClientException {
        try {
            return NodeReservations.read(rest.get("/api/reservations"));
        } catch (RestClient.ClientException e) {
            if (e.status != 404) {
                throw e;
            }
            return List.of();
        }
    }

    /**
     * A DOWN node's reason dates from the last time the head heard from it; a drained node's reason is the drain's,
     * with who set it and when. Its allocated CPUs are the REST API's allocated.cores, which count each core once
     * (at most the node's: a job resumed after scontrol suspend shares its cores with the jobs started on them
     * meanwhile, and Slurm's CPUAlloc is the union of the allocated cores) and none of a suspended job's.
     */
    static SinfoNode sinfoNode(Json n) {
        Json drain = n.path("drain");
        boolean drained = n.hasNonNull("drain");
        String reason = drained ? drain.path("reason").asText() : n.hasNonNull("reason") ? n.get("reason").asText()
                : null;
        Instant since = drained ? drain.path("since").asInstant() : reason != null ? n.path("lastSeen").asInstant()
                : null;
        Json allocated = n.path("allocated");
        return new SinfoNode(n.path("hostname").asText(), n.path("cores").asInt(), allocated.path("cores").asInt(),
                n.path("memoryMb").asLong(), allocated.path("memoryMb").asLong(), n.path("gpus").asInt(),
                allocated.path("gpus").asInt(), n.path("state").asText().equals("DOWN"), reason, since, drained,
                drained ? drain.path("user").asText(null) : null, gpuTypes(n.path("gpuTypes")));
    }

    /** A node's or a list's {@code gpuTypes}, type by type; null when absent. */
    static Map<String, List<Integer>> gpuTypes(Json types) {
        if (!types.isObject()) {
            return null;
        }
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (String type : types.fieldNames()) {
            List<Integer> indexes = new ArrayList<>();
            types.path(type).forEach(i -> indexes.add(i.asInt()));
            out.put(type, indexes);
        }
        return out;
    }
}
