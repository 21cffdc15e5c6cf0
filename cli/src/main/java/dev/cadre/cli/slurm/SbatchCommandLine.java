package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpec;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns an sbatch command line, and the #SBATCH lines of its script, into a Cadre job. */
public final class SbatchCommandLine {
    /**
     * The script file's absolute path, which scontrol show job prints as Command= (Cadre keeps the script's text,
     * not its file); absent for --wrap and standard input, for which Slurm has no path either. Held to free text's
     * rule, as a path is.
     */
    public static final String SCRIPT_PATH_VARIABLE = JobSpec.SCRIPT_PATH_VARIABLE;
    /**
     * The last line of each of getopt's complaints (unrecognized, ambiguous, missing argument), on the command line
     * or in #SBATCH lines: sbatch prints it, without a prefix, before it exits 1 (its case '?').
     */
    public static final String TRY_HELP = "Try \"sbatch --help\" for more information";

    private final Map<String, String> submitEnv;
    private final String cwd;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final JobSpec.Builder job = JobSpec.builder();
    private final SbatchScheduling scheduling;
    private final SbatchResources resources = new SbatchResources();
    private String workDir;
    private String stdout;
    private String stderr;
    private String stdin;
    private String export;
    private String openMode;
    private boolean parsable;
    private boolean quiet;
    private boolean waitForEnd;
    private boolean testOnly;
    private String scriptPath;

    private SbatchCommandLine(Map<String, String> submitEnv, String cwd, Clock clock) {
        this.submitEnv = submitEnv == null ? Map.of() : submitEnv;
        this.cwd = cwd;
        this.workDir = cwd;
        this.scheduling = new SbatchScheduling(job, clock);
    }

    /**
     * @param argv the words after "sbatch"
     * @param readScript returns the text of the named script file (given null: of standard input), or throws
     *        UncheckedIOException
     * @param cwd the absolute directory sbatch runs in
     * @param clock now and the time zone, for --begin and --deadline
     */
    public static SbatchRequest parse(List<String> argv, Function<String, String> readScript,
            Map<String, String> submitEnv, String cwd, String user, String submitHost, Clock clock)
            throws SlurmUsageException {
        return parse(argv, readScript, submitEnv, cwd, user, submitHost, clock, SbatchInputEnvironment.SBATCH);
    }

    /** As {@link #parse}, for srun's own allocation: SBATCH_* variables are sbatch's alone, and set nothing. */
    public static SbatchRequest parseAllocation(List<String> argv, Map<String, String> submitEnv, String cwd,
            String user, String submitHost, Clock clock) throws SlurmUsageException {
        return parse(argv, path -> null, submitEnv, cwd, user, submitHost, clock, Map.of());
    }

    /** As {@link #parseAllocation}, for salloc's: its SALLOC_* variables set options, under the command line. */
    public static SbatchRequest parseSalloc(List<String> argv, Map<String, String> submitEnv, String cwd,
            String user, String submitHost, Clock clock) throws SlurmUsageException {
        return parse(argv, path -> null, submitEnv, cwd, user, submitHost, clock, SbatchInputEnvironment.SALLOC);
    }

    private static SbatchRequest parse(List<String> argv, Function<String, String> readScript,
            Map<String, String> submitEnv, String cwd, String user, String submitHost, Clock clock,
            Map<String, String> inputVariables) throws SlurmUsageException {
        SbatchCommandLine line = new SbatchCommandLine(submitEnv, cwd, clock);
        SbatchArgv.Scanned command = SbatchArgv.scan(argv);
        String wrap = null;
        for (SbatchArgv.Use use : command.options()) {
            switch (use.option().longName()) {
                case "wrap" -> wrap = use.value();
                case "help" -> { return SbatchRequest.help(SbatchHelp.HELP); }
                case "usage" -> { return SbatchRequest.help(SbatchHelp.USAGE); }
                case "version" -> { return SbatchRequest.help(SbatchHelp.VERSION); }
                default -> { }
            }
        }
        SbatchScriptSource script = SbatchScriptSource.of(wrap, command.operands(), readScript, cwd);
        line.scriptPath = script.path();
        line.job.name(script.name()).user(user).submitHost(submitHost).script(script.text()).args(script.args())
                .kind(JobSpec.KIND_EXEC);
        // As Slurm: #SBATCH lines, then SBATCH_* variables, then the command line, each overriding the one before.
        List<SbatchArgv.Use> uses = new ArrayList<>(script.directives());
        uses.addAll(SbatchInputEnvironment.options(line.submitEnv, inputVariables));
        uses.addAll(command.options());
        for (SbatchArgv.Use use : uses) {
            line.apply(use);
        }
        return line.finish();
    }

    /** Slurm's host list syntax (h[1-3],h5); a value naming a file of hosts is Slurm's too, not taken here. */
    private static List<String> hosts(String option, String value) throws SlurmUsageException {
        if (value.contains("/")) {
            throw new SlurmUsageException(option + "=" + value + ": reading host names from a file is not supported;"
                    + " list the hosts");
        }
        try {
            return HostList.expand(value);
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException(option + "=" + value + ": " + e.getMessage());
        }
    }

    private void apply(SbatchArgv.Use use) throws SlurmUsageException {
        SbatchOption option = use.option();
        String value = use.value();
        if (option.handling() == SbatchOption.Handling.WARNED) {
            warnings.add("sbatch: warning: " + option.spelled() + " is ignored: " + option.ignoredBecause());
            return;
        }
        if (SbatchScheduling.OPTIONS.contains(option.longName())) {
            scheduling.apply(option.longName(), value);
            return;
        }
        if (SbatchResources.OPTIONS.contains(option.longName())) {
            resources.apply(option.longName(), value);
            return;
        }
        switch (option.longName()) {
            case "job-name" -> job.name(value);
            case "output" -> stdout = devNullIfNone(value);
            case "error" -> stderr = devNullIfNone(value);
            case "input" -> stdin = devNullIfNone(value);
            case "chdir" -> workDir = absolute(cwd, value);
            case "time" -> job.timeLimitSeconds(timeLimit(value));
            case "nodes" -> job.nodes(SlurmNumbers.minimumNodes(value));
            case "ntasks" -> job.tasks(SlurmNumbers.parseInt("--ntasks", value, true));
            case "cpus-per-task" -> job.cpusPerTask(SlurmNumbers.parseInt("--cpus-per-task", value, true));
            case "ntasks-per-node", "tasks-per-node" ->
                    job.tasksPerNode(SlurmNumbers.parseInt("--ntasks-per-node", value, true));
            case "export" -> export = value;
            case "clusters" -> {
                String refusal = SlurmClusters.refusal(value, submitEnv);
                if (refusal != null) {
                    throw new SlurmUsageException(refusal);
                }
            }
            case "nodelist" -> job.nodelist(hosts("--nodelist", value));
            case "exclude" -> job.exclude(hosts("--exclude", value));
            case "exclusive" -> job.exclusive(true);
            case "parsable" -> parsable = true;
            case "open-mode" -> openMode = openMode(value);
            case "quiet" -> quiet = true;
            case "wait" -> waitForEnd = true;
            case "test-only" -> testOnly = true;
            // Texts asked for on the command line are printed before a script is read; in a script they do nothing.
            case "verbose", "help", "usage", "version" -> { }
            // Only the command line can turn a submission into a --wrap one.
            case "wrap" -> { }
            default -> throw new IllegalStateException("unhandled sbatch option " + option.longName());
        }
    }

    private SbatchRequest finish() throws SlurmUsageException {
        Map<String, String> env = SbatchExport.environment(export, submitEnv);
        // What sbatch tells the job beyond its exported environment: where it was submitted from, and how to
        // open its output (Slurm passes --open-mode to the job the same way).
        env.put("SLURM_SUBMIT_DIR", cwd);
        if (openMode != null) {
            env.put("SLURM_OPEN_MODE", openMode);
        }
        if (export != null && !export.equalsIgnoreCase("ALL")) {
            env.put("SLURM_EXPORT_ENV", export);
        }
        resources.describe(env);
        // Set or removed, never inherited: a job submitted from a job's script has a script of its own, or none.
        if (scriptPath != null) {
            env.put(SCRIPT_PATH_VARIABLE, scriptPath);
        } else {
            env.remove(SCRIPT_PATH_VARIABLE);
        }
        job.workDir(workDir).stdout(absolute(workDir, stdout)).stderr(absolute(workDir, stderr))
                .stdin(absolute(workDir, stdin)).environment(env);
        resources.resolve(job, job.build());
        SbatchScheduling.checkBeginAndDeadline(job.build());
        return new SbatchRequest(job.build(), parsable, new ArrayList<>(warnings), quiet, waitForEnd, testOnly,
                null);
    }

    private static Long timeLimit(String value) throws SlurmUsageException {
        try {
            return SlurmTime.parseTimeLimit(value);
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException("Invalid --time specification");
        }
    }

    private static String openMode(String value) throws SlurmUsageException {
        String mode = openModeLetter(value);
        if (mode == null) {
            throw new SlurmUsageException("Invalid --open-mode specification");
        }
        return mode;
    }

    /**
     * Slurm looks at the first letter only: "a" (append) or "t" (truncate), as the job is told; null for neither.
     * srun's --open-mode reads the same way.
     */
    static String openModeLetter(String value) {
        char first = value.isEmpty() ? 0 : Character.toLowerCase(value.charAt(0));
        return first == 'a' || first == 't' ? String.valueOf(first) : null;
    }

    private static String devNullIfNone(String value) {
        return value.equalsIgnoreCase("none") ? "/dev/null" : value;
    }

    /**
     * The path made absolute against the directory and normalised by its text ('.', '..' and repeated slashes taken
     * out), as -D, -o, -e and -i are sent: the head refuses a '..' component, which Slurm passes to the node as it
     * is and scripts use ("#SBATCH -o ../logs/%x-%j.out"). The text alone decides: a '..' after a symbolic link
     * goes back along the link, not to the parent of its target. Patterns (%j, %x, %%) are components like any.
     * Not Path.normalize: a path with a NUL would throw there, before the head could name the problem.
     */
    public static String absolute(String dir, String path) {
        if (path == null) {
            return null;
        }
        Deque<String> kept = new ArrayDeque<>();
        for (String part : (path.startsWith("/") ? path : dir + "/" + path).split("/")) {
            if (part.equals("..")) {
                kept.pollLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                kept.addLast(part);
            }
        }
        return "/" + String.join("/", kept);
    }
}
