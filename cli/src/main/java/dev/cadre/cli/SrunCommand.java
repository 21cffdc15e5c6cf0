package dev.cadre.cli;

import dev.cadre.cli.slurm.CommandOptions;
import dev.cadre.cli.slurm.MultiProg;
import dev.cadre.cli.slurm.SlurmUsageException;
import dev.cadre.cli.slurm.SrunInput;
import dev.cadre.cli.slurm.SrunInputEnvironment;
import dev.cadre.cli.slurm.SrunOptions;
import dev.cadre.cli.slurm.StepLayout;
import dev.cadre.cli.slurm.StepTasks;
import dev.cadre.node.core.ExecAccess;
import dev.cadre.protocol.ArrayPart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * srun. Inside a job it starts the step's tasks on the job's nodes, each through the node's exec relay (the
 * remote exec MPI's launchers use), with SLURM_PROCID, SLURM_LOCALID and SLURM_NODEID of its own, and copies
 * their output as it comes, "N: " before each line with -l. An MPI program goes through its MPI's launcher
 * instead ({@link SrunMpiLaunch}), which wires the ranks together; --pty runs task 0 at a pseudo-terminal, the rest
 * with their output thrown away ({@link PtyStep}). Outside a job it submits one that runs srun inside it and
 * follows it ({@link SrunAllocation}).
 */
final class SrunCommand {
    private final PrintStream out;
    private final PrintStream err;
    private final String config;
    private final Map<String, String> env;

    SrunCommand(PrintStream out, PrintStream err, String config, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.config = config;
        this.env = env;
    }

    int run(List<String> args) {
        String zeroExit = SrunInputEnvironment.errorExitNote(env);
        if (zeroExit != null) {
            err.println(zeroExit);
        }
        int errorExit = SrunInputEnvironment.errorExit(env);
        CommandOptions<SrunOptions> read = CommandOptions.read(() -> SrunOptions.parse(args, env), out, err);
        if (read.exit() != null) {
            return read.exit() == 0 ? 0 : errorExit;
        }
        SrunOptions o = read.options();
        o.notes().forEach(err::println);
        if (!env.containsKey("SLURM_JOB_ID") || !env.containsKey(ExecAccess.SOCKET)) {
            return new SrunAllocation(out, err, config, env).run(o);
        }
        String jobId = env.get("SLURM_JOB_ID");
        if (o.allocation().contains("--test-only")) {
            err.println("srun: error: --test-only asks when a new job would start; this is a step of job " + jobId);
            return errorExit;
        }
        try {
            StepLayout.Allocation job = StepLayout.Allocation.fromEnvironment(env);
            StepLayout step = StepLayout.of(job, o, jobId);
            if (o.pty()) {
                return new PtyStep(out, err, env).run(o, job, step);
            }
            // A --multi-prog file is no program to look into; its lines' programs start alone unless --mpi says.
            String mpi = o.multiProg() && o.mpi() == null ? null : SrunMpiLaunch.flavorOf(o, env);
            if (mpi != null) {
                return new SrunMpiLaunch(out, err, env).run(o, step, nextStep(stepsDirectory(env)), mpi);
            }
            return runTasks(o, job, step);
        } catch (SlurmUsageException e) {
            e.lines().forEach(err::println);
            return errorExit;
        }
    }

    private int runTasks(SrunOptions o, StepLayout.Allocation job, StepLayout step) throws SlurmUsageException {
        String jobId = env.get("SLURM_JOB_ID");
        SrunInput.Plan input = o.input().plan(StandardInputSource.of(), step.tasks().size(), true);
        List<List<String>> commands = o.multiProg() ? multiProg(o.command().get(0), step.tasks().size()) : null;
        if (input.warning() != null) {
            err.println(input.warning());
        }
        int stepId = nextStep(stepsDirectory(env));
        String dir = SrunAllocation.directory(o);
        List<TaskRun> runs = new ArrayList<>();
        AtomicBoolean stopping = new AtomicBoolean();
        TaskOutput output = new TaskOutput(out, err, o.label(), step.tasks().size());
        List<StepLayout.Task> readers = step.tasks().stream().filter(t -> input.streamsTo(t.procId())).toList();
        // Read once, for every task that reads it, as Slurm forwards srun's input (protocol.md 13.10).
        InputFanOut fan = readers.isEmpty() ? null : InputFanOut.start(System.in, readers.size());
        Set<String> files = new LinkedHashSet<>();
        for (StepLayout.Task t : step.tasks()) {
            int cpus = job.cpus().get(job.hosts().indexOf(t.host()));
            String stdout = file(o.output(), t, jobId, stepId);
            String stderr = file(o.error(), t, jobId, stepId);
            String stdin = input.fileOf(t.procId(), pattern -> file(pattern, t, jobId, stepId));
            String line = StepTasks.commandLine(StepTasks.environment(env, o, step, t, stepId, cpus), dir,
                    commands == null ? o.command() : commands.get(t.procId()), stdin, stdout, stderr);
            int reader = readers.indexOf(t);
            runs.add(new TaskRun(t, line, output, stopping, o.killOnBadExit(), reader < 0 ? null : fan.tap(reader),
                    o.binding().task(step, t, o.cpusPerTask())));
            addIfSet(files, stdout);
            addIfSet(files, stderr);
        }
        if (!"a".equals(o.openMode())) {
            truncate(files, dir);
        }
        return RunningStep.start(runs, stopping, output, err, env).await();
    }

    /** Each task's command from the --multi-prog file, which srun reads in its own directory as Slurm's does. */
    private static List<List<String>> multiProg(String file, int tasks) throws SlurmUsageException {
        String text;
        try {
            text = Files.readString(Path.of(file));
        } catch (IOException | InvalidPathException e) {
            throw new SlurmUsageException("srun: error: Unable to open configuration file " + file + ": "
                    + fileProblem(e));
        }
        return MultiProg.commands(text, file, tasks);
    }

    /** The C library's words for why a file could not be read, as Slurm's messages carry them. */
    static String fileProblem(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    private String file(String pattern, StepLayout.Task t, String jobId, int stepId) {
        return pattern == null ? null : StepTasks.fileName(pattern, t, Long.parseLong(jobId), arrayTask(env),
                stepId, env.getOrDefault("SLURM_JOB_USER", System.getProperty("user.name")),
                env.getOrDefault("SLURM_JOB_NAME", ""));
    }

    /** The array task the job is, as its environment says, else null. */
    static ArrayPart arrayTask(Map<String, String> env) {
        String array = env.get("SLURM_ARRAY_JOB_ID");
        String task = env.get("SLURM_ARRAY_TASK_ID");
        try {
            return array == null || task == null ? null
                    : new ArrayPart(Long.parseLong(array), Integer.valueOf(task), null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void addIfSet(Set<String> files, String file) {
        if (file != null) {
            files.add(file);
        }
    }

    /**
     * Empties each -o/-e file once, before any task writes to it: the tasks append, so those that share a file keep
     * every line, and a file left by an earlier run starts empty as Slurm's default --open-mode=truncate has it
     * (--open-mode=append leaves it as it is).
     * Here rather than on the tasks' nodes, which see the same directory through the cluster's shared file system.
     */
    private static void truncate(Set<String> files, String dir) {
        for (String file : files) {
            try {
                Path path = Path.of(dir).resolve(file);
                if (Files.notExists(path) || Files.isRegularFile(path)) {
                    Files.newOutputStream(path).close();
                }
            } catch (IOException | InvalidPathException e) {
                // The task's own redirection meets the same problem and says so on its stderr.
            }
        }
    }

    /**
     * Where a job counts its steps: beside the attempt's hostfile, in the node's directory of the attempt, which
     * goes when the attempt ends; a job id alone would meet the counts of an earlier head's job of the same id.
     */
    static Path stepsDirectory(Map<String, String> env) {
        String hostfile = env.get("CADRE_HOSTFILE");
        if (hostfile != null) {
            return Path.of(hostfile).resolveSibling("steps");
        }
        String token = env.getOrDefault(ExecAccess.TOKEN, "");
        return Path.of(System.getProperty("java.io.tmpdir"), "cadre-steps-" + env.get("SLURM_JOB_ID") + "-"
                + env.getOrDefault(ExecAccess.ATTEMPT, "1") + "-" + Integer.toHexString(token.hashCode()));
    }

    /**
     * The step's number in its job, as SLURM_STEP_ID: the first srun of a job is step 0. One file per step in
     * {@code dir}, where the batch script and every srun of it run.
     */
    static int nextStep(Path dir) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < 100_000; i++) {
                try {
                    Files.createFile(dir.resolve(Integer.toString(i)));
                    return i;
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
