package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobState;
import dev.cadre.protocol.SignalNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * scancel's command line. Job ids name jobs; the filters (-u, -n, -t, -w, -p) pick among them, or, without ids,
 * among every job that has not ended.
 *
 * @param jobs the ids given, empty when the filters alone choose
 * @param user -u or --me, or null
 * @param names -n's job names, or null
 * @param states -t's states (PENDING, RUNNING), or null
 * @param signal --signal's signal, without SIG (or a number), or null to cancel
 * @param batchOnly -b: the signal goes to the batch script only
 * @param verbose -v: say what is done, as scancel does
 * @param help text to print instead, else null
 */
public record ScancelOptions(List<SlurmJobId> jobs, String user, Set<String> names, Set<JobState> states,
        Set<String> nodes, boolean partitionShown, String signal, boolean batchOnly, boolean verbose, String help) implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage: scancel [-A account] [--batch] [--full] [--interactive] [-n job_name]
                           [-p partition] [-Q] [-q qos] [-R reservation] [-s signal | integer]
                           [-t PENDING | RUNNING | SUSPENDED] [--usage] [-u user_name]
                           [--hurry] [-V] [-v] [-w hosts...] [--wckey=wckey] [job_id[_array_id][.step_id]]
            """;

    private static final Getopt OPTIONS = new Getopt("scancel", List.of(
            Getopt.Option.value("account", 'A'), Getopt.Option.flag("batch", 'b'),
            Getopt.Option.flag("full", 'f'), Getopt.Option.flag("hurry", 'H'),
            Getopt.Option.flag("interactive", 'i'), Getopt.Option.value("clusters", 'M'),
            Getopt.Option.value("name", 'n'), Getopt.Option.value("name", 'n').alias("jobname"),
            Getopt.Option.flag("me", (char) 0), Getopt.Option.value("partition", 'p'),
            Getopt.Option.flag("quiet", 'Q'), Getopt.Option.value("qos", 'q'),
            Getopt.Option.value("reservation", 'R'), Getopt.Option.value("signal", 's'),
            Getopt.Option.flag("sibling", (char) 0), Getopt.Option.value("state", 't'),
            Getopt.Option.value("user", 'u'), Getopt.Option.flag("usage", (char) 0),
            Getopt.Option.flag("help", (char) 0), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V'), Getopt.Option.value("nodelist", 'w'),
            Getopt.Option.value("wckey", (char) 0)));

    /** @throws SlurmUsageException with scancel's lines; it exits 1 */
    public static ScancelOptions parse(List<String> args, String me) throws SlurmUsageException {
        return parse(args, me, System.getenv());
    }

    /** @param env the caller's environment, for the cluster a job runs in (-M) */
    public static ScancelOptions parse(List<String> args, String me, Map<String, String> env)
            throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        if (p.has("help") || p.has("usage")) {
            return new ScancelOptions(List.of(), null, null, null, null, true, null, false, false, USAGE);
        }
        if (p.has("version")) {
            return new ScancelOptions(List.of(), null, null, null, null, true, null, false, false,
                    CommandOptions.VERSION);
        }
        if (p.has("clusters")) {
            SlurmClusters.check("scancel", p.last("clusters"), env);
        }
        if (p.has("interactive")) {
            throw new SlurmUsageException("scancel: error: --interactive is not supported by this Cadre version");
        }
        List<SlurmJobId> jobs = new ArrayList<>();
        for (String operand : p.operands()) {
            try {
                jobs.addAll(SlurmJobId.list(operand));
            } catch (IllegalArgumentException e) {
                throw new SlurmUsageException("scancel: error: Invalid job id " + e.getMessage());
            }
        }
        String user = p.has("me") ? me : p.last("user");
        Set<JobState> states = p.last("state") == null ? null : states(p.last("state"));
        String partitions = p.last("partition");
        boolean partitionShown = partitions == null || List.of(partitions.split(",")).contains(SqueueJob.PARTITION);
        Set<String> names = OptionValues.names(p.last("name"));
        Set<String> nodes = OptionValues.hosts(p.last("nodelist"), "scancel: error: Invalid node list "
                + p.last("nodelist"));
        boolean filtered = user != null || names != null || states != null || nodes != null || partitions != null
                || p.has("account") || p.has("qos") || p.has("reservation") || p.has("wckey");
        if (jobs.isEmpty() && !filtered) {
            throw new SlurmUsageException("scancel: error: No job identification provided");
        }
        String signal = p.last("signal") == null ? null : signal(p.last("signal"));
        return new ScancelOptions(jobs, user, names, states, nodes, partitionShown, signal, p.has("batch"),
                p.has("verbose"), null);
    }

    /** Whether the filters let this job through; with no filter given, every job passes. */
    public boolean selects(SqueueJob j) {
        return partitionShown && !j.state().isTerminal() && (user == null || user.equals(j.user()))
                && (names == null || names.contains(j.name()))
                && (states == null || states.contains(j.state()))
                && (nodes == null || j.hosts().stream().anyMatch(nodes::contains));
    }

    public boolean filtered() {
        return user != null || names != null || states != null || nodes != null || !partitionShown;
    }

    /** scancel -t takes pending, running and suspended jobs only. */
    private static Set<JobState> states(String text) throws SlurmUsageException {
        Set<JobState> out = EnumSet.noneOf(JobState.class);
        for (String s : text.split(",")) {
            switch (s.toUpperCase(Locale.ROOT)) {
                case "PENDING", "PD" -> out.add(JobState.PENDING);
                case "RUNNING", "R" -> out.add(JobState.RUNNING);
                case "SUSPENDED", "S" -> out.add(JobState.SUSPENDED);
                default -> throw new SlurmUsageException(List.of("scancel: error: Invalid job state specified: " + s,
                        "scancel: error: Valid job states are PENDING, RUNNING, and SUSPENDED"));
            }
        }
        return out;
    }

    /** A signal name with or without SIG, or a number from 1 to 64, as scancel takes them. */
    static String signal(String text) throws SlurmUsageException {
        String upper = text.toUpperCase(Locale.ROOT);
        String name = upper.startsWith("SIG") ? upper.substring(3) : upper;
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            int n = name.length() > 2 ? 0 : Integer.parseInt(name);
            if (n >= 1 && n <= 64) {
                return Integer.toString(n);
            }
        } else if (SignalNames.isName(name)) {
            return name;
        }
        throw new SlurmUsageException("scancel: error: Invalid job signal: " + text);
    }
}
