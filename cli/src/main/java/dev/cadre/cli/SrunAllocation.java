package dev.cadre.cli;

import dev.cadre.cli.slurm.AllocationHold;
import dev.cadre.cli.slurm.ImmediateAllocation;
import dev.cadre.cli.slurm.JobEnd;
import dev.cadre.cli.slurm.PtyTasks;
import dev.cadre.cli.slurm.SbatchCommandLine;
import dev.cadre.cli.slurm.SbatchRequest;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunInput;
import dev.cadre.cli.slurm.SrunInputEnvironment;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.slurm.SrunScheduling;
import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ShellWord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * srun outside a job: submits a job sized by srun's options whose script runs srun again, inside the allocation,
 * and follows it: its output as it is written (the job writes it to two files in its working directory, which
 * the submitting machine sees as Slurm clusters see theirs, through a shared file system), then its exit code.
 * Ctrl-C cancels the job. srun's scheduling options (-b -d -H --nice --priority --signal) go to the job as sbatch
 * reads them; -I gives up, the job cancelled, when it has not started in time.
 */
final class SrunAllocation {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Map<String, String> env;

    SrunAllocation(PrintStream out, PrintStream err, String config, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.env = env;
    }

    /** A path as srun reads -D: relative to its own directory. */
    static String absolute(String path) {
        return Path.of(path).isAbsolute() ? path : Path.of("").toAbsolutePath().resolve(path).toString();
    }

    /** Where srun's tasks start: -D's directory, else srun's own. */
    static String directory(SrunOptions o) {
        return o.chdir() != null ? absolute(o.chdir()) : Path.of("").toAbsolutePath().toString();
    }

    int run(SrunOptions o) {
        int errorExit = SrunInputEnvironment.errorExit(env);
        String launcher = env.get("CADRE_LAUNCHER");
        if (launcher == null) {
            err.println("srun: error: CADRE_LAUNCHER is not set; run srun as bin/srun or 'cadre srun'");
            return errorExit;
        }
        String cwd = Path.of("").toAbsolutePath().toString();
        SrunInput.Source stdin = StandardInputSource.of();
        // A terminal for --pty, or a pipe the tasks read: the command runs from here, in a job that holds the nodes.
        boolean attached = o.pty() || (o.input().forwardsStandardInput() && SrunInput.streamed(stdin.kind()));
        Submission submission;
        try {
            submission = submission(o, launcher, stdin, attached);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return errorExit;
        }
        SbatchRequest request;
        try {
            request = SbatchCommandLine.parseAllocation(submission.argv(), env, cwd,
                    System.getProperty("user.name"), SubmitHost.name(), new LocalClock());
        } catch (SlurmUsageException e) {
            e.lines().forEach(line -> err.println("srun: error: "
                    + SrunScheduling.allocationRefusal(line, "Unable to allocate resources")));
            return errorExit;
        }
        if (request.testOnly()) {
            try {
                return JobTrial.ask(RestClient.fromConfig(config), request.spec(), err, ZoneId.systemDefault(),
                        "srun");
            } catch (RestClient.ClientException e) {
                err.println("srun: error: " + e.getMessage());
                return 1;
            }
        }
        ImmediateAllocation immediate = ImmediateAllocation.of("srun", o.immediate(), env);
        if (immediate != null) {
            immediate.notes().forEach(err::println);
        }
        LongFunction<FollowedJob.Sayings> sayings = id -> new FollowedJob.Sayings() {
            @Override
            public void queued() {
                err.println("srun: job " + id + " queued and waiting for resources");
            }

            @Override
            public void started(Json job, boolean afterQueued) {
                // A job cancelled while it waited was never allocated anything.
                if (afterQueued && job.hasNonNull("startTime")) {
                    err.println("srun: job " + id + " has been allocated resources");
                }
            }

            @Override
            public int ended(Json job) {
                return exitCode(job, id);
            }
        };
        if (attached) {
            // srun --pty's single task is the command itself; several are started by an srun inside the job.
            boolean alone = o.pty() && !PtyTasks.manyTasks(o);
            sayings = new InteractiveStep(out, err, config, "srun", alone ? o.command() : submission.inner(),
                    o.pty(), env, alone, o.label()).around(sayings);
        }
        return new FollowedJob(out, err, "srun").submitAndFollow(config, request.spec(),
                "Unable to allocate resources", id -> "srun: forcing job termination", sayings, immediate);
    }

    /**
     * sbatch's words for the job srun submits, and what runs in it: the srun that starts the step's tasks (the job's
     * script, or run from here in the job that holds the nodes).
     */
    private record Submission(List<String> argv, List<String> inner) {
    }

    /**
     * sbatch's words for the job: srun's sizing options, its name, and a script that runs srun inside it. srun's
     * standard input, when the tasks are to read it and it is a file, is the job's, which the srun inside it
     * passes on to them as it would its own.
     */
    private Submission submission(SrunOptions o, String launcher, SrunInput.Source stdin, boolean attached)
            throws SlurmUsageException {
        List<String> inner = new ArrayList<>(List.of(launcher, "srun"));
        String dir = directory(o);
        String jobInput = null;
        SrunInput input = o.input();
        if (input.mode() == SrunInput.Mode.FILE && input.pattern().indexOf('%') < 0) {
            readable(Path.of(dir).resolve(input.pattern()), "--input=" + input.pattern());
        } else if (input.forwardsStandardInput() && !attached) {
            // The step's task count is known inside the job, which checks a task id against it.
            SrunInput.Plan plan = input.plan(stdin, Integer.MAX_VALUE);
            if (plan.warning() != null) {
                err.println(plan.warning());
            }
            jobInput = plan.file();
        }
        if (input.spelled() != null) {
            inner.add("--input=" + input.spelled());
        }
        if ("a".equals(o.openMode())) {
            inner.add("--open-mode=append");
        }
        if (o.pty()) {
            inner.add("--pty");
        }
        if (o.label()) {
            inner.add("-l");
        }
        if (o.chdir() != null) {
            // The job starts there; by its full name, so that a relative SLURM_WORKING_DIR, which the srun inside
            // the job sees too, does not take it one directory further.
            inner.add("--chdir=" + dir);
        }
        if (o.mpi() != null) {
            inner.add("--mpi=" + o.mpi());
        }
        if (o.killOnBadExit()) {
            inner.add("-K");
        }
        if (o.cyclic()) {
            inner.addAll(List.of("-m", "cyclic"));
        }
        if (o.output() != null) {
            inner.addAll(List.of("-o", o.output()));
        }
        if (o.error() != null) {
            inner.addAll(List.of("-e", o.error()));
        }
        if (o.multiProg()) {
            // Read by the srun inside the job, in the job's directory: by its full name.
            Path config = Path.of(absolute(o.command().get(0)));
            readable(config, "--multi-prog " + o.command().get(0));
            inner.addAll(List.of("--multi-prog", "--", config.toString()));
        } else {
            inner.add("--");
            inner.addAll(o.command());
        }
        StringBuilder script = new StringBuilder("exec");
        inner.forEach(w -> script.append(' ').append(ShellWord.quote(w)));
        if (attached) {
            script.setLength(0);
            script.append(AllocationHold.script());
        }
        List<String> argv = new ArrayList<>(o.allocation());
        if (o.jobName() == null) {
            String program = o.command().get(0);
            argv.addAll(List.of("-J", program.substring(program.lastIndexOf('/') + 1)));
        }
        if (jobInput != null) {
            argv.addAll(List.of("--input", jobInput));
        }
        argv.addAll(List.of("-o", ".cadre-srun-%j.out", "-e", ".cadre-srun-%j.err", "--wrap", script.toString()));
        return new Submission(argv, inner);
    }

    /** A file the job will read, checked here, before an allocation is asked for (the cluster shares the path). */
    private static void readable(Path file, String what) throws SlurmUsageException {
        String problem = null;
        if (Files.isDirectory(file)) {
            problem = "Is a directory";
        } else {
            try (var in = Files.newInputStream(file)) {
                // Opened, as the job will open it.
            } catch (IOException | InvalidPathException e) {
                problem = SrunCommand.fileProblem(e);
            }
        }
        if (problem != null) {
            throw new SlurmUsageException("srun: error: " + what + ": cannot read " + file + ": " + problem);
        }
    }

    /** srun's exit code by the rule sbatch --wait shares ({@link JobEnd}); a line for an end its tasks did not tell. */
    private int exitCode(Json job, long id) {
        JobEnd end = JobEnd.of(job);
        String said = switch (end.state()) {
            case COMPLETED -> null;
            // Slurm's srun words a step that could not start so; the node's error names what it lacked.
            case FAILED -> end.failedToStart() ? "Application launch failed: "
                    + (end.why().isEmpty() ? "job " + id + " did not start" : end.why()) : null;
            case TIMEOUT -> "job " + id + " ran past its time limit (TIMEOUT)";
            case CANCELLED -> "job " + id + " was cancelled";
            default -> "job " + id + " ended " + end.state();
        };
        if (said != null) {
            err.println("srun: error: " + said);
        }
        return end.srunExit();
    }
}
