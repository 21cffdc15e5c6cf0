package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks a submitted spec before anything is stored. Pure; returns every problem found. */
public final class JobSpecValidator {
    public static final int MAX_NAME = 256;
    public static final int MAX_SUBMISSION_ID = 256;
    public static final int MAX_PATH = 4096;
    public static final int MAX_SCRIPT_BYTES = 512 * 1024;
    public static final int MAX_NODES = 10_000;
    public static final int MAX_TASKS = 1_000_000;
    public static final int MAX_CPUS_PER_TASK = 4096;
    public static final int MAX_GPUS_PER_TASK = 64;
    public static final int MAX_ATTEMPTS = 100;
    /** Entries in one submit-jobs message; with the 1 MiB body limit, more would only be rejected as too large. */
    public static final int MAX_BATCH_JOBS = 1000;
    public static final int MAX_ENV_VARS = 4096;
    /** Longer than any shell's name, bash's exported functions (BASH_FUNC_name%%) included; as long as a path. */
    public static final int MAX_ENV_NAME = MAX_PATH;
    public static final long MAX_TIME_LIMIT_SECONDS = 366L * 24 * 3600;
    /** The widest nice either way, and the highest fixed priority, a spec may have. */
    public static final int MAX_NICE = ScheduleFieldsValidator.MAX_NICE;
    public static final long MAX_PRIORITY = ScheduleFieldsValidator.MAX_PRIORITY;
    private static final List<String> READ_FORBIDDEN = List.of("/proc", "/sys", "/dev");
    private static final String DEFAULT_STDOUT = "slurm-%j.out";
    private static final List<String> WRITE_FORBIDDEN = List.of("/proc", "/sys", "/dev", "/etc", "/boot", "/bin",
            "/sbin", "/lib", "/lib32", "/lib64", "/usr", "/var/lib", "/var/spool/cron");
    /** Root's hidden files and directories (.bashrc, .profile, .ssh, .config): what root's next login runs. */
    private static final String ROOT_HIDDEN = "/root/.";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}");

    /** What {@link #isUserName} takes, as a problem's message says it. */
    public static final String USER_RULE = "must be a user name of letters, digits, '_', '.', '@' or '-'";

    private JobSpecValidator() {
    }

    /** A name a job's environment may carry: 1 to {@link #MAX_ENV_NAME} characters without '=' or NUL. */
    public static boolean isEnvironmentName(String name) {
        return EnvironmentValidator.isName(name);
    }

    /**
     * A user name as a job's spec and a node's drain record it: one line, bounded, so that it prints whole in
     * squeue, sinfo -R and scontrol -o.
     */
    public static boolean isUserName(String user) {
        return user != null && USER.matcher(user).matches();
    }

    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /**
     * The envelope of a batch: a problem here rejects the whole message. Each entry is then judged on its own
     * by {@link #validate(ClientRequest.SubmitJob)}.
     */
    public static List<Problem> validateEnvelope(ClientRequest.SubmitJobs batch) {
        List<Problem> problems = new ArrayList<>();
        if (batch.jobs() == null || batch.jobs().isEmpty() || batch.jobs().size() > MAX_BATCH_JOBS) {
            problems.add(new Problem("jobs", "must hold between 1 and " + MAX_BATCH_JOBS + " submissions, not "
                    + (batch.jobs() == null ? "none" : batch.jobs().size())));
            return problems;
        }
        for (int i = 0; i < batch.jobs().size(); i++) {
            if (batch.jobs().get(i) == null) {
                problems.add(new Problem("jobs[" + i + "]", "must be an object with submissionId and spec"));
            }
        }
        return problems;
    }

    /** A whole submission: its optional submission id, then its spec. */
    public static List<Problem> validate(ClientRequest.SubmitJob submit) {
        List<Problem> problems = new ArrayList<>();
        text(problems, "submissionId", submit.submissionId(), MAX_SUBMISSION_ID, false);
        problems.addAll(validate(submit.spec()));
        if (submit.spec() != null && submit.spec().service() != null) {
            problems.add(new Problem("spec.service", "is set by the scheduler on a service's instances; create a"
                    + " service with create-service (cadre service create) instead"));
        }
        return problems;
    }

    public static List<Problem> validate(JobSpec spec) {
        List<Problem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new Problem("spec", "is required"));
            return problems;
        }
        text(problems, "spec.name", spec.name(), MAX_NAME, false);
        if (!isUserName(spec.user())) {
            problems.add(new Problem("spec.user", USER_RULE));
        }
        if (spec.script() == null || spec.script().isEmpty()) {
            problems.add(new Problem("spec.script", "is required"));
        } else if (!spec.script().startsWith("#!")) {
            problems.add(new Problem("spec.script", "must start with #! followed by the path to an interpreter"));
        } else if (spec.script().length() > MAX_SCRIPT_BYTES) {
            problems.add(new Problem("spec.script", "is longer than " + MAX_SCRIPT_BYTES + " characters"));
        } else if (spec.script().indexOf('\0') >= 0) {
            problems.add(new Problem("spec.script", "contains a NUL character"));
        }
        for (int i = 0; i < spec.args().size(); i++) {
            String a = spec.args().get(i);
            if (a == null) {
                problems.add(new Problem("spec.args[" + i + "]", "must be a string, not null"));
            } else if (a.indexOf('\0') >= 0) {
                problems.add(new Problem("spec.args[" + i + "]", "must be a string without NUL characters"));
            }
        }
        if (spec.workDir() == null || spec.workDir().isEmpty()) {
            problems.add(new Problem("spec.workDir", "is required"));
        } else {
            path(problems, "spec.workDir", spec.workDir(), false);
            if (!spec.workDir().startsWith("/")) {
                problems.add(new Problem("spec.workDir", "must be an absolute path"));
            }
        }
        pattern(problems, "spec.stdout", spec.stdout(), spec, true);
        if (spec.stdout() == null && problems.stream().noneMatch(p -> p.field().equals("spec.workDir"))) {
            // Without stdout the node writes slurm-%j.out in the working directory: the same rules hold for it.
            List<Problem> found = new ArrayList<>();
            pattern(found, "spec.stdout", DEFAULT_STDOUT, spec, true);
            for (Problem p : found) {
                problems.add(new Problem("spec.workDir", "gives no stdout, so the default " + DEFAULT_STDOUT + " "
                        + p.message()));
            }
        }
        pattern(problems, "spec.stderr", spec.stderr(), spec, true);
        pattern(problems, "spec.stdin", spec.stdin(), spec, false);
        EnvironmentValidator.check(problems, spec.environment());
        if (spec.timeLimitSeconds() != null
                && (spec.timeLimitSeconds() < 1 || spec.timeLimitSeconds() > MAX_TIME_LIMIT_SECONDS)) {
            problems.add(new Problem("spec.timeLimitSeconds", "must be between 1 and " + MAX_TIME_LIMIT_SECONDS));
        }
        range(problems, "spec.nodes", spec.nodes(), 1, MAX_NODES);
        range(problems, "spec.tasks", spec.tasks(), 1, MAX_TASKS);
        range(problems, "spec.tasksPerNode", spec.tasksPerNode(), 1, MAX_TASKS);
        range(problems, "spec.cpusPerTask", spec.cpusPerTask(), 1, MAX_CPUS_PER_TASK);
        range(problems, "spec.gpusPerTask", spec.gpusPerTask(), 0, MAX_GPUS_PER_TASK);
        Optional.ofNullable(GpuTypes.specProblem(spec)).ifPresent(p -> problems.add(new Problem("spec.gpuType", p)));
        range(problems, "spec.maxAttempts", spec.maxAttempts(), 1, MAX_ATTEMPTS);
        if (spec.memoryMb() != null && (spec.memoryMb() < 1 || spec.memoryMb() > 1L << 40)) {
            problems.add(new Problem("spec.memoryMb", "must be between 1 and " + (1L << 40)));
        }
        if (spec.memoryPerCpuMb() != null && (spec.memoryPerCpuMb() < 1 || spec.memoryPerCpuMb() > 1L << 40)) {
            problems.add(new Problem("spec.memoryPerCpuMb", "must be between 1 and " + (1L << 40)));
        } else if (spec.memoryPerCpuMb() != null && spec.memoryMb() == null) {
            problems.add(new Problem("spec.memoryPerCpuMb", "needs memoryMb, the memory per node it comes to"));
        }
        if (spec.kind() != null && !spec.kind().equals(JobSpec.KIND_EXEC) && !spec.kind().equals(JobSpec.KIND_MPI)) {
            problems.add(new Problem("spec.kind", "must be 'exec' or 'mpi'"));
        }
        text(problems, "spec.submitHost", spec.submitHost(), 255, false);
        NodeRequestValidator.checkHostLists(problems, spec);
        ScheduleFieldsValidator.check(problems, spec);
        MailFieldsValidator.check(problems, spec);
        if (!problems.isEmpty()) {
            // Cross-field checks only make sense once each field is valid on its own.
            return problems;
        }
        NodeRequestValidator.checkCombination(problems, spec);
        memoryPerCpu(problems, spec);
        return problems;
    }

    /**
     * memoryMb must be what memoryPerCpuMb comes to, as sbatch and service create work it out: times the CPUs asked
     * of the busiest node. Placement holds the job to memoryMb and an exclusive job's nodes to memoryPerCpuMb, so
     * figures that disagree would be two different limits.
     */
    private static void memoryPerCpu(List<Problem> problems, JobSpec spec) {
        Long perCpu = spec.memoryPerCpuMb();
        if (perCpu == null) {
            return;
        }
        long cpus = (long) spec.cpusPerTaskOrOne() * spec.tasksOnBusiestNode();
        long comesTo = cpus > (1L << 40) / perCpu ? Long.MAX_VALUE : perCpu * cpus;
        if (comesTo != spec.memoryMb()) {
            String start = perCpu + " MiB per CPU, for the " + cpus + " CPU(s) of the busiest node ("
                    + spec.tasksOnBusiestNode() + " task(s) x " + spec.cpusPerTaskOrOne() + " CPU(s)), comes to ";
            problems.add(new Problem("spec.memoryPerCpuMb", comesTo == Long.MAX_VALUE
                    ? start + "more than the " + (1L << 40) + " MiB a node may be asked for"
                    : start + comesTo + " MiB, but memoryMb is " + spec.memoryMb() + "; give memoryMb " + comesTo));
        }
    }

    private static void range(List<Problem> problems, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problems.add(new Problem(field, "is " + value + "; it must be between " + min + " and " + max));
        }
    }

    /** Free text and paths: bounded, and by {@link PrintableText}'s rule, as squeue and scontrol print them back. */
    private static void text(List<Problem> problems, String field, String value, int max, boolean required) {
        if (value == null) {
            if (required) {
                problems.add(new Problem(field, "is required"));
            }
            return;
        }
        if (value.length() > max) {
            problems.add(new Problem(field, "is longer than " + max + " characters"));
        }
        PrintableText.problem(value).ifPresent(why -> problems.add(new Problem(field, why)));
    }

    /**
     * Jobs run as the node-runner's user, which may be root: a path that climbs out with '..' or writes into
     * the system's own trees is refused rather than trusted to the sender.
     */
    private static void path(List<Problem> problems, String field, String value, boolean written) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()) {
            problems.add(new Problem(field, "is empty"));
            return;
        }
        int before = problems.size();
        text(problems, field, value, MAX_PATH, false);
        if (problems.size() > before) {
            return;
        }
        if (Arrays.asList(value.split("/", -1)).contains("..")) {
            problems.add(new Problem(field, "must not contain a '..' component"));
            return;
        }
        if (value.startsWith("/")) {
            systemTree(value, written).ifPresent(root -> problems.add(new Problem(field, "must not be under " + root
                    + (written ? " (system files are never job output)" : ""))));
        }
    }

    /**
     * The system tree an absolute path is in, where jobs may not go: for any path /proc, /sys and /dev (but
     * /dev/null), and for one written also /etc, /boot, the programs' and libraries' trees, /var/lib, cron's spool
     * and root's hidden files. Judged on the text: the node judges the real path again where the attempt starts.
     *
     * @param path an absolute path; '.' components and repeated slashes leave it where it was ("/./etc" is /etc)
     * @param written whether the job writes it (an output) rather than only reads or enters it
     */
    public static Optional<String> systemTree(String path, boolean written) {
        String normal = "/" + Arrays.stream(path.split("/")).filter(c -> !c.isEmpty() && !c.equals("."))
                .collect(Collectors.joining("/"));
        if (normal.equals("/dev/null")) {
            return Optional.empty();
        }
        for (String root : written ? WRITE_FORBIDDEN : READ_FORBIDDEN) {
            if (normal.equals(root) || normal.startsWith(root + "/")) {
                return Optional.of(root);
            }
        }
        if (written && normal.startsWith(ROOT_HIDDEN)) {
            int end = normal.indexOf('/', ROOT_HIDDEN.length());
            return Optional.of(end < 0 ? normal : normal.substring(0, end));
        }
        return Optional.empty();
    }

    /**
     * The path as the node opens it must obey the same rules as the pattern: %x puts the job's name into it and a
     * relative path lands in the working directory, so a name such as "../../etc/cron.d/x", or "passwd" in a
     * working directory of /etc, would otherwise take the job where the pattern itself may not go.
     */
    private static void pattern(List<Problem> problems, String field, String value, JobSpec spec, boolean written) {
        int before = problems.size();
        path(problems, field, value, written);
        if (problems.size() > before || value == null) {
            return;
        }
        String expanded = OutputPattern.expand(value, 1, null, spec.name() == null ? "" : spec.name(), "user",
                "host");
        String workDir = spec.workDir();
        String opened = expanded.startsWith("/") || workDir == null || !workDir.startsWith("/") ? expanded
                : workDir + "/" + expanded;
        List<Problem> found = new ArrayList<>();
        path(found, field, opened, written);
        for (Problem p : found) {
            String shown = opened.length() > 80 ? "..." + opened.substring(opened.length() - 77) : opened;
            problems.add(new Problem(field, "is opened as '" + printable(shown) + "', which " + p.message()));
        }
    }

    static String printable(String s) {
        return PrintableText.masked(s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
