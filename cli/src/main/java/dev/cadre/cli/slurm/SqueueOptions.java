package dev.cadre.cli.slurm;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.Partition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * squeue's command line and SQUEUE_* variables, read as squeue reads them.
 *
 * @param jobs -j's ids, or null for every job
 * @param users -u's names (--me: the caller), or null for everyone
 * @param states the states shown; squeue's default is pending, running and completing
 * @param nodes -w's hosts, or null
 * @param names -n's job names, or null
 * @param reservation -R's reservation name, matched exactly as squeue's strcmp does, or null for any job
 * @param partitions -p's partitions (or SQUEUE_PARTITION's): a job in one of them is shown; null for any
 * @param dated print the time first (-l, -i), as squeue does
 * @param iterate seconds between reports (-i), 0 for one report
 * @param help text to print instead of jobs (--help, --usage, --version), else null
 * @param notes lines for stderr (options Cadre accepts but cannot honour)
 */
public record SqueueOptions(SqueueFormat.Layout layout, boolean header, List<SlurmJobId> jobs, Set<String> users,
        Set<JobState> states, Set<String> nodes, Set<String> names, String reservation, Set<String> partitions,
        String sort,
        boolean oneLinePerTask, boolean dated, int iterate, String help, List<String> notes) implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage: squeue [-A account] [--clusters names] [-i seconds] [--job jobid]
                          [-n name] [-o format] [-p partitions] [--qos qos]
                          [--reservation reservation] [--sort fields] [--start]
                          [--step step_id] [-t states] [-u user_name] [--usage]
                          [-L licenses] [-w nodes] [--federation] [--local] [--sibling]
                          [-ahjlrsv]
            """;
    static final String VERSION = CommandOptions.VERSION;
    static final String START_FORMAT = "%.18i %.9P %.8j %.8u %.2t %.19S %.6D %20Y %R";
    /** Pending, running, suspended and completing: squeue's jobs when -t is not given. */
    static final Set<JobState> DEFAULT_STATES = EnumSet.of(JobState.PENDING, JobState.RUNNING,
            JobState.COMPLETING, JobState.REQUEUED, JobState.SUSPENDED);

    private static final Getopt OPTIONS = new Getopt("squeue", List.of(
            Getopt.Option.value("accounts", 'A'), Getopt.Option.value("accounts", 'U').alias("account"),
            Getopt.Option.flag("all", 'a'), Getopt.Option.flag("array", 'r'),
            Getopt.Option.flag("array-unique", (char) 0), Getopt.Option.value("Format", 'O'),
            Getopt.Option.value("format", 'o'), Getopt.Option.flag("federation", (char) 0),
            Getopt.Option.flag("help", (char) 0), Getopt.Option.flag("hide", (char) 0),
            Getopt.Option.value("iterate", 'i'), Getopt.Option.optional("jobs", 'j'),
            Getopt.Option.optional("jobs", 'j').alias("job"), Getopt.Option.flag("local", (char) 0),
            Getopt.Option.flag("long", 'l'), Getopt.Option.value("licenses", 'L'),
            Getopt.Option.value("clusters", 'M'), Getopt.Option.value("clusters", 'M').alias("cluster"),
            Getopt.Option.flag("me", (char) 0), Getopt.Option.value("name", 'n'),
            Getopt.Option.flag("noconvert", (char) 0), Getopt.Option.value("nodelist", 'w'),
            Getopt.Option.value("nodelist", 'w').alias("nodes"), Getopt.Option.value("nodelist", 'w').alias("node"),
            Getopt.Option.flag("noheader", 'h'), Getopt.Option.value("partitions", 'p'),
            Getopt.Option.value("partitions", 'p').alias("partition"), Getopt.Option.flag("priority", 'P'),
            Getopt.Option.value("qos", 'q'), Getopt.Option.value("reservation", 'R'),
            Getopt.Option.flag("sibling", (char) 0), Getopt.Option.value("sort", 'S'),
            Getopt.Option.flag("start", (char) 0), Getopt.Option.optional("steps", 's'),
            Getopt.Option.value("states", 't'), Getopt.Option.flag("usage", (char) 0),
            Getopt.Option.value("users", 'u'), Getopt.Option.value("users", 'u').alias("user"),
            Getopt.Option.flag("verbose", 'v'), Getopt.Option.flag("version", 'V')));

    /**
     * @param me the caller's user name, for --me
     * @throws SlurmUsageException with the lines squeue prints, for which it exits 1
     */
    public static SqueueOptions parse(List<String> args, Map<String, String> env, String me)
            throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        if (p.has("help") || p.has("usage") || p.has("version")) {
            return help(p.has("version") ? VERSION : USAGE);
        }
        if (p.has("clusters")) {
            SlurmClusters.check("squeue", p.last("clusters"), env);
        }
        if (p.has("steps")) {
            throw new SlurmUsageException("squeue: error: --steps is not supported: Cadre does not track job steps");
        }
        String format = p.last("format");
        String formatLong = p.last("Format");
        if (format != null && formatLong != null) {
            throw new SlurmUsageException(p.uses().stream().filter(u -> u.key().equals("format")
                    || u.key().equals("Format")).reduce((a, b) -> b).orElseThrow().key().equals("format")
                    ? "squeue: error: -o (--format) is incompatible with -O (--Format)"
                    : "squeue: error: -O (--Format) is incompatible with -o (--format)");
        }
        if (p.has("long") && format != null) {
            throw new SlurmUsageException("squeue: fatal: Options -o(--format) and -l(--long) are mutually exclusive."
                    + " Please remove one and retry.");
        }
        boolean start = p.has("start");
        boolean formatGiven = format != null || formatLong != null || p.has("long") || start;
        if (!formatGiven) {
            format = env.get("SQUEUE_FORMAT");
            formatLong = format == null ? env.get("SQUEUE_FORMAT2") : null;
        }
        SqueueFormat.Layout layout = format != null ? SqueueFormat.parse(format)
                : formatLong != null ? SqueueFormat.parseLong(formatLong)
                : p.has("long") ? SqueueFormat.parseLong(SqueueFormat.LONG)
                : start ? SqueueFormat.parse(START_FORMAT) : SqueueFormat.parse(SqueueFormat.DEFAULT);
        // squeue's error(): prefixed, and the fields it knows are printed all the same.
        List<String> notes = new ArrayList<>(layout.problems().stream().map(line -> "squeue: error: " + line).toList());

        List<String> operands = p.operands();
        List<SlurmJobId> jobs = null;
        String jobText = p.last("jobs");
        if (jobText == null && p.has("jobs") && !operands.isEmpty()) {
            jobText = operands.get(0);
            operands = operands.subList(1, operands.size());
        }
        if (!operands.isEmpty()) {
            throw new SlurmUsageException(List.of("squeue: error: Unrecognized option: " + operands.get(0),
                    USAGE.stripTrailing()));
        }
        if (jobText != null) {
            jobs = jobIds(jobText);
        }
        String users = p.has("me") ? me : p.last("users") != null ? p.last("users") : env.get("SQUEUE_USERS");
        String states = p.last("states") != null ? p.last("states") : env.get("SQUEUE_STATES");
        if (states == null && start) {
            states = "PD";
        }
        String iterate = p.last("iterate");
        int seconds = 0;
        if (iterate != null) {
            seconds = SlurmNumbers.leadingInt(iterate);
            if (seconds <= 0) {
                throw new SlurmUsageException("squeue: error: --iterate=" + iterate);
            }
        }
        for (String ignored : List.of("accounts", "qos", "licenses")) {
            if (p.has(ignored)) {
                notes.add("squeue: warning: --" + ignored + " is ignored: Cadre has no " + ignored);
            }
        }
        String sort = p.last("sort") != null ? p.last("sort") : env.getOrDefault("SQUEUE_SORT",
                start ? "S" : SqueueOrder.DEFAULT);
        String partitions = p.last("partitions") != null ? p.last("partitions") : env.get("SQUEUE_PARTITION");
        Set<String> nodes = OptionValues.hosts(p.last("nodelist"), "squeue: error: '" + p.last("nodelist")
                + "' invalid entry for --nodelist");
        return new SqueueOptions(layout, !p.has("noheader"), jobs, OptionValues.names(users),
                states == null ? DEFAULT_STATES : states(states), nodes, OptionValues.names(p.last("name")),
                p.last("reservation"), OptionValues.names(partitions), sort,
                p.has("array") || env.containsKey("SQUEUE_ARRAY"),
                !p.has("noheader") && (p.has("long") || seconds > 0), seconds, null, notes);
    }

    /** How long squeue shows a job after it ended: Slurm's MinJobAge default, 300 seconds. */
    public static final long ENDED_JOBS_SHOWN_SECONDS = 300;

    /** Whether the job passes every filter; an ended job only for a while after it ended, as in Slurm. */
    public boolean shows(SqueueJob j, Instant now) {
        if (!states.contains(j.state()) || !remembered(j, now)) {
            return false;
        }
        if (partitions != null && Partition.names(j.partitionName()).stream().noneMatch(partitions::contains)) {
            return false;
        }
        if (users != null && !users.contains(j.user())) {
            return false;
        }
        if (names != null && names.stream().noneMatch(n -> n.equalsIgnoreCase(j.name()))) {
            return false;
        }
        if (reservation != null && !reservation.equals(j.reservation())) {
            return false;
        }
        if (nodes != null && j.hosts().stream().noneMatch(nodes::contains)) {
            return false;
        }
        if (jobs == null) {
            return true;
        }
        // Read once, not once an id: -j 12_[0-999999] names a million.
        ArrayIndexes pending = j.isPendingTasks() ? ArrayIndexes.parseStored(j.arrayPending()) : null;
        for (SlurmJobId id : jobs) {
            if (names(id, j, pending)) {
                return true;
            }
        }
        return false;
    }

    /** An ended job stays known to squeue for a while after its end. */
    public static boolean remembered(SqueueJob j, Instant now) {
        return !j.state().isTerminal() || j.endTime() == null
                || j.endTime().getEpochSecond() + ENDED_JOBS_SHOWN_SECONDS >= now.getEpochSecond();
    }

    /** "12" names job 12 and every part of array 12; "12_3" task 3 of it. */
    private static boolean names(SlurmJobId id, SqueueJob j, ArrayIndexes pending) {
        if (id.taskId() == null) {
            return j.id() == id.jobId() || (j.arrayJobId() != null && j.arrayJobId() == id.jobId());
        }
        return j.arrayJobId() != null && j.arrayJobId() == id.jobId() && (id.taskId().equals(j.arrayTaskId())
                || (pending != null && pending.contains(id.taskId())));
    }

    private static SqueueOptions help(String text) {
        return new SqueueOptions(SqueueFormat.parse(SqueueFormat.DEFAULT), true, null, null, DEFAULT_STATES, null,
                null, null, null, SqueueOrder.DEFAULT, false, false, 0, text, List.of());
    }

    /** -j's list; a task list ("12_[1-3]") names each of its tasks. */
    private static List<SlurmJobId> jobIds(String text) throws SlurmUsageException {
        List<SlurmJobId> ids = new ArrayList<>();
        for (String entry : SlurmJobId.entries(text)) {
            if (entry.isEmpty()) {
                continue;
            }
            try {
                ids.addAll(SlurmJobId.ids(entry));
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException("squeue: error: Invalid job id: " + e.getMessage());
            }
        }
        return ids;
    }


    /** Slurm's names and compact codes, any case; "all" for every state. */
    static Set<JobState> states(String text) throws SlurmUsageException {
        Set<JobState> out = EnumSet.noneOf(JobState.class);
        if (text.equalsIgnoreCase("all")) {
            return EnumSet.allOf(JobState.class);
        }
        for (String s : text.split(",")) {
            if (s.isEmpty()) {
                continue;
            }
            String upper = s.toUpperCase(Locale.ROOT);
            JobState match = null;
            for (JobState st : JobState.values()) {
                if (st.name().equals(upper) || st.shortCode().equals(upper)) {
                    match = st;
                }
            }
            if (match != null) {
                out.add(match);
            } else if (!SlurmStates.OTHER_JOB_STATES.contains(upper)) {
                throw new SlurmUsageException(List.of("squeue: error: Invalid job state specified: " + s,
                        "squeue: error: Valid job states include: " + SlurmStates.VALID_JOB_STATES));
            }
        }
        return out;
    }
}
