package dev.cadre.cli.slurm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * srun's command line, under its input variables ({@link SrunInputEnvironment}). Inside a job, the job's
 * SLURM_NTASKS and SLURM_CPUS_PER_TASK are srun's defaults for -n and -c, as in Slurm, so a bare "srun prog" starts
 * one task per task of the job.
 *
 * @param tasks -n, else the job's task count inside a job, else null
 * @param nodes -N, else null (inside a job: all of the job's nodes, or fewer when there are fewer tasks)
 * @param mpi --mpi (or SLURM_MPI_TYPE): "none", "pmix"/"openmpi", "pmi2"/"mpich", or null to look at the program
 * @param output -o, a pattern with %t (task), %n (node), %j, %N, %%, or null for srun's own output
 * @param cyclic -m cyclic: tasks dealt to the nodes in turn rather than in blocks
 * @param allocation the options that size a new allocation, as sbatch words, when srun runs outside a job
 * @param command what each task runs; with --multi-prog, the configuration file naming each task's command
 * @param input -i: which tasks read what ({@link SrunInput})
 * @param openMode --open-mode: "a" (append to -o/-e's files) or "t" (empty them first, the default), else null
 * @param multiProg --multi-prog: {@code command} is a configuration file ({@link MultiProg})
 * @param immediate -I: the seconds the job srun submits may wait to start, else null ({@link SrunScheduling})
 * @param help text to print instead, else null
 * @param notes lines for stderr (options Cadre accepts but cannot honour)
 * @param pty --pty: the command runs at a pseudo-terminal that takes srun's terminal
 * @param binding how the step's tasks share the job's CPUs and GPUs on each node ({@link StepBinding})
 */
public record SrunOptions(Integer tasks, Integer nodes, Integer cpusPerTask, Integer tasksPerNode, boolean label,
        String mpi, String output, String error, String chdir, String export, String jobName, boolean killOnBadExit,
        boolean cyclic, boolean quiet, List<String> nodelist, List<String> allocation, List<String> command,
        SrunInput input, String openMode, boolean multiProg, Integer immediate, String help, List<String> notes,
        boolean pty, StepBinding binding) implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage: srun [-N nnodes] [-n ntasks] [-c ncpus] [--ntasks-per-node=n] [-l] [--mpi=type]
                        [-i in] [-o out] [-e err] [--open-mode=append|truncate] [-D path]
                        [-J jobname] [-t time] [-w hosts] [-x hosts]
                        [--export=names] [-K] [-m block|cyclic[:block|cyclic|fcyclic]] [--mem=MB]
                        [--gpus-per-task=n] [--cpu-bind=type] [--gpu-bind=type]
                        [-b time] [-d dependency] [-H] [--nice[=value]] [--priority=value]
                        [--signal=[B:]num[@time]] [-I[secs]] [--test-only] [--pty] executable [args...]
                   srun [options] --multi-prog config_file
            """;

    static final List<Getopt.Option> OPTION_LIST = SrunRefusedOptions.with(List.of(
            Getopt.Option.value("ntasks", 'n'), Getopt.Option.value("nodes", 'N'),
            Getopt.Option.value("cpus-per-task", 'c'), Getopt.Option.value("ntasks-per-node", (char) 0),
            Getopt.Option.flag("label", 'l'), Getopt.Option.value("mpi", (char) 0),
            Getopt.Option.value("output", 'o'), Getopt.Option.value("error", 'e'),
            Getopt.Option.value("input", 'i'), Getopt.Option.value("chdir", 'D'),
            Getopt.Option.value("job-name", 'J'), Getopt.Option.value("time", 't'),
            Getopt.Option.value("nodelist", 'w'), Getopt.Option.value("exclude", 'x'),
            Getopt.Option.value("export", (char) 0), Getopt.Option.optional("kill-on-bad-exit", 'K'),
            Getopt.Option.value("distribution", 'm'), Getopt.Option.value("mem", (char) 0),
            Getopt.Option.value("mem-per-cpu", (char) 0), Getopt.Option.value("gpus-per-task", (char) 0),
            Getopt.Option.value("gres", (char) 0), Getopt.Option.value("gpus", 'G'),
            Getopt.Option.optional("exclusive", (char) 0), Getopt.Option.flag("overlap", (char) 0),
            Getopt.Option.flag("unbuffered", 'u'), Getopt.Option.value("cpu-bind", (char) 0),
            Getopt.Option.value("gpu-bind", (char) 0),
            Getopt.Option.value("partition", 'p'), Getopt.Option.value("account", 'A'),
            Getopt.Option.value("qos", 'q'), Getopt.Option.value("constraint", 'C'),
            Getopt.Option.flag("quiet", 'Q'), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.value("wait", 'W'), Getopt.Option.flag("pty", (char) 0),
            Getopt.Option.flag("help", 'h'), Getopt.Option.flag("usage", (char) 0),
            Getopt.Option.flag("version", 'V'), Getopt.Option.flag("test-only", (char) 0),
            // Each step gets the tasks and CPUs it asks for without regard to the others (Cadre does not count
            // steps), so steps started with --exact & run side by side, as Slurm's --exact makes them.
            Getopt.Option.flag("exact", (char) 0), Getopt.Option.value("cpu-bind", (char) 0).alias("cpu_bind"),
            Getopt.Option.value("gpus-per-node", (char) 0), Getopt.Option.value("clusters", 'M'),
            Getopt.Option.value("clusters", 'M').alias("cluster"), Getopt.Option.value("hint", (char) 0),
            Getopt.Option.value("ntasks-per-core", (char) 0), Getopt.Option.value("threads-per-core", (char) 0),
            Getopt.Option.value("wckey", (char) 0), Getopt.Option.value("comment", (char) 0),
            Getopt.Option.value("mail-type", (char) 0), Getopt.Option.value("mail-user", (char) 0),
            Getopt.Option.value("open-mode", (char) 0), Getopt.Option.flag("multi-prog", (char) 0),
            Getopt.Option.value("reservation", (char) 0)),
            SrunScheduling.options());
    private static final Getopt OPTIONS = new Getopt("srun", OPTION_LIST, true);

    /** Accepted with a line on stderr: labels and CPU binding that mean nothing in Cadre. */
    private static final List<String> IGNORED = List.of("account", "qos", "constraint", "wckey",
            "comment", "hint", "ntasks-per-core", "threads-per-core");

    /**
     * The options that size an allocation or say when it runs: srun outside a job passes them on to the job it
     * submits.
     */
    private static final List<String> ALLOCATION = List.of("ntasks", "nodes", "cpus-per-task", "ntasks-per-node",
            "time", "nodelist", "exclude", "mem", "mem-per-cpu", "gpus-per-task", "gres", "gpus", "gpus-per-node",
            "exclusive", "test-only", "begin", "deadline", "dependency", "hold", "nice", "priority", "signal",
            "partition", "account", "qos", "constraint", "job-name", "chdir", "export", "mail-type", "mail-user",
            "reservation");

    /** As {@link #parse(List, Map, Clock)} with the system's clock. */
    public static SrunOptions parse(List<String> args, Map<String, String> env) throws SlurmUsageException {
        return parse(args, env, Clock.systemDefaultZone());
    }

    /**
     * @param env srun's environment: inside a job it holds the job's counts
     * @param clock now and the time zone, for --begin
     * @throws SlurmUsageException with srun's lines; it exits 1
     */
    public static SrunOptions parse(List<String> args, Map<String, String> env, Clock clock)
            throws SlurmUsageException {
        Getopt.Parsed line = OPTIONS.parse(args);
        if (line.has("help") || line.has("usage")) {
            return help(USAGE);
        }
        if (line.has("version")) {
            return help(CommandOptions.VERSION);
        }
        SrunRefusedOptions.check(line);
        boolean inJob = env.containsKey("SLURM_JOB_ID");
        // The environment's options first, so that the command line's, read after them, win.
        SrunInputEnvironment.Read fromEnv = SrunInputEnvironment.read(env, OPTION_LIST, inJob);
        List<Getopt.Use> uses = new ArrayList<>(fromEnv.uses());
        uses.addAll(line.uses());
        Getopt.Parsed p = new Getopt.Parsed(uses, line.operands());
        SrunScheduling.check(p, clock);
        Integer immediate = SrunScheduling.immediate(p, "srun: error: ");
        if (p.has("clusters")) {
            SlurmClusters.check("srun", p.last("clusters"), env);
        }
        if (p.has("pty") && p.has("multi-prog")) {
            throw new SlurmUsageException("srun: error: --pty runs one command at a terminal; it does not take"
                    + " --multi-prog");
        }
        if (p.operands().isEmpty()) {
            throw new SlurmUsageException("srun: fatal: No command given to execute.");
        }
        PtyTasks.checkStreams(p);
        SrunInput input = SrunInput.parse(p.last("input"));
        if (p.has("multi-prog") && p.operands().size() > 1) {
            throw new SlurmUsageException("srun: error: --multi-prog takes a configuration file alone, not "
                    + String.join(" ", p.operands().subList(1, p.operands().size()))
                    + ": each of its lines names tasks, a program and its arguments");
        }
        String openMode = p.last("open-mode") == null ? null : openMode(p.last("open-mode"));
        List<String> notes = new ArrayList<>();
        for (String ignored : IGNORED) {
            if (p.has(ignored)) {
                // A variable's inside a job was warned of by the srun or sbatch whose environment the job has.
                if (line.has(ignored)) {
                    notes.add("srun: warning: --" + ignored + " is ignored in Cadre");
                } else if (!inJob) {
                    notes.add("srun: warning: " + fromEnv.variables().get(ignored) + " is ignored in Cadre");
                }
            }
        }
        if (inJob) {
            notes.addAll(SrunScheduling.stepNotes(p));
        }
        Integer tasks = count(p, "ntasks", inJob ? env.get("SLURM_NTASKS") : null);
        Integer nodes = count(p, "nodes", null);
        Integer cpus = count(p, "cpus-per-task", inJob ? env.get("SLURM_CPUS_PER_TASK") : null);
        Integer perNode = count(p, "ntasks-per-node", null);
        if (p.has("ntasks-per-node") && !p.has("ntasks")) {
            // -n is the node count times --ntasks-per-node when only the latter is given.
            tasks = null;
        }
        String distribution = p.last("distribution");
        String kind = distribution == null ? "block" : distribution.split("[:,]")[0].toLowerCase(Locale.ROOT);
        if (!kind.equals("block") && !kind.equals("cyclic") && !kind.equals("*")) {
            throw new SlurmUsageException("srun: error: Invalid --distribution specification");
        }
        StepBinding binding = StepBinding.read(p.last("cpu-bind"), p.last("gpu-bind"), distribution,
                inJob ? p.last("gpus-per-task") : null);
        String mpi = p.last("mpi");
        List<String> allocation = new ArrayList<>();
        for (Getopt.Use u : p.uses()) {
            if (ALLOCATION.contains(u.key())) {
                allocation.add("--" + u.key() + (u.value() == null ? "" : "=" + u.value()));
            }
        }
        List<String> nodelist = p.last("nodelist") == null ? null
                : List.copyOf(OptionValues.hosts(p.last("nodelist"), "srun: error: Invalid node list "
                + p.last("nodelist")));
        return new SrunOptions(tasks, nodes, cpus, perNode, p.has("label"), mpi == null ? null
                : mpi.toLowerCase(Locale.ROOT), p.last("output"), p.last("error"), p.last("chdir"), p.last("export"),
                p.last("job-name"), p.has("kill-on-bad-exit") && !"0".equals(p.last("kill-on-bad-exit")),
                kind.equals("cyclic"), p.has("quiet"), nodelist, allocation, p.operands(), input, openMode,
                p.has("multi-prog"), immediate, null, notes, p.has("pty"), binding);
    }

    private static SrunOptions help(String text) {
        return new SrunOptions(null, null, null, null, false, null, null, null, null, null, null, false, false,
                false, null, List.of(), List.of(), new SrunInput(SrunInput.Mode.DEFAULT, 0, null), null, false, null,
                text, List.of(), false, StepBinding.NONE);
    }

    /** Slurm's reading of --open-mode: append or truncate, by the first letter. */
    private static String openMode(String value) throws SlurmUsageException {
        String mode = SbatchCommandLine.openModeLetter(value);
        if (mode == null) {
            throw new SlurmUsageException("srun: error: Invalid --open-mode specification: " + value
                    + " (append or truncate)");
        }
        return mode;
    }

    /**
     * A positive count from the option (or its input variable), else from the job's variable, else null.
     *
     * @throws SlurmUsageException Slurm's parse_int complaint, naming the option by its long name as Slurm's does
     */
    private static Integer count(Getopt.Parsed p, String key, String fromEnv) throws SlurmUsageException {
        String v = p.last(key);
        if (v != null) {
            try {
                return key.equals("nodes") ? SlurmNumbers.minimumNodes(v)
                        : SlurmNumbers.parseInt("--" + key, v, true);
            } catch (SlurmUsageException e) {
                List<String> lines = new ArrayList<>();
                e.lines().forEach(l -> lines.add("srun: error: " + l));
                throw new SlurmUsageException(lines);
            }
        }
        if (fromEnv == null || fromEnv.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(fromEnv.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
