package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sacct's command line, read as sacct reads it.
 *
 * @param jobs -j's ids, or null for every job in the time window
 * @param users whose jobs, or null for everyone's (-a, or root)
 * @param states -s's states, or null for any
 * @param from the window's start: a job shows if it was in the system at some time from here to {@code to}; null
 *        when -j is given without -S or -E, which shows the jobs whenever they ran
 * @param delimiter what separates the fields with -p or -P: --delimiter's characters, '|' by default
 * @param steps show each job's batch step as a row of its own (not with -X)
 * @param units how sizes print: --units and --noconvert
 * @param help text to print instead of jobs, else null
 * @param notes lines for stderr (options Cadre accepts but cannot honour)
 */
public record SacctOptions(List<String> fields, boolean header, PrintFields.Parsable parsable, String delimiter,
        boolean duplicates, boolean steps, SacctUnits units, List<SlurmJobId> jobs, Set<String> users,
        Set<JobState> states, Set<String> names, Set<String> nodes, Instant from, Instant to, String help,
        List<String> notes)
        implements CommandOptions.WithHelp {

    static final String USAGE = "Usage: sacct [options]\n\tUse --help for help\n";
    static final String HELP = """
            sacct [<OPTION>]
                 -a, --allusers        Display jobs for all users.
                 -b, --brief           Equivalent to '--format=jobstep,state,error'.
                 -D, --duplicates      Show every earlier run of a requeued job.
                 -e, --helpformat      Print a list of fields that can be specified with '--format'.
                 -E, --endtime         Select jobs eligible before this time.
                 -j, --jobs            Display information about this job or comma-separated list of jobs.
                 -l, --long            Equivalent to a long --format list.
                 -n, --noheader        No header will be added to the beginning of output.
                     --noconvert       Don't convert units from their original type
                                       (e.g. 2048M won't be converted to 2G).
                 -N, --nodelist        Display jobs that ran on any of these nodes.
                     --name            Display jobs that have any of these name(s).
                 -o, --format          Comma separated list of fields.
                     --delimiter       ASCII characters used to separate the fields when
                                       specifying the -p or -P options. The default delimiter
                                       is a '|'. This option is ignored if the -p or -P
                                       options are not specified.
                 -p, --parsable        '|' delimited output with a '|' at the end.
                 -P, --parsable2       '|' delimited output without a '|' at the end.
                 -s, --state           Select jobs based on their state.
                 -S, --starttime       Select jobs eligible after this time (default: 00:00:00 today).
                 -u, --user            Use this comma separated list of user names to select jobs.
                     --units=[KMGTP]   Display values in specified unit type. Takes precedence
                                       over --noconvert option.
                 -X, --allocations     Only show the job allocations, not their steps.

                 Note, valid start/end time formats are...
                               HH:MM[:SS] [AM|PM]
                               MMDD[YY] or MM/DD[/YY] or MM.DD[.YY]
                               MM/DD[/YY]-HH:MM[:SS]
                               YYYY-MM-DD[THH:MM[:SS]]
                               now[{+|-}count[seconds(default)|minutes|hours|days|weeks]]
            """;

    private static final Getopt OPTIONS = new Getopt("sacct", List.of(
            Getopt.Option.flag("allusers", 'a'), Getopt.Option.value("accounts", 'A'),
            Getopt.Option.flag("allocations", 'X'), Getopt.Option.flag("array", (char) 0),
            Getopt.Option.flag("brief", 'b'), Getopt.Option.flag("completion", 'c'),
            Getopt.Option.value("delimiter", (char) 0), Getopt.Option.flag("duplicates", 'D'),
            Getopt.Option.value("endtime", 'E'), Getopt.Option.value("format", 'o'),
            Getopt.Option.value("format", 'o').alias("fields"), Getopt.Option.value("gid", 'g'),
            Getopt.Option.value("gid", 'g').alias("group"), Getopt.Option.flag("help", 'h'),
            Getopt.Option.flag("helpformat", 'e'), Getopt.Option.flag("helpstate", (char) 0),
            Getopt.Option.value("jobs", 'j'), Getopt.Option.flag("local", (char) 0),
            Getopt.Option.flag("long", 'l'), Getopt.Option.flag("allclusters", 'L'),
            Getopt.Option.value("clusters", 'M'), Getopt.Option.value("name", (char) 0),
            Getopt.Option.flag("noconvert", (char) 0), Getopt.Option.value("nodelist", 'N'),
            Getopt.Option.flag("noheader", 'n'), Getopt.Option.flag("parsable", 'p'),
            Getopt.Option.flag("parsable2", 'P'), Getopt.Option.value("partition", 'r'),
            Getopt.Option.value("qos", 'q'), Getopt.Option.value("starttime", 'S'),
            Getopt.Option.value("state", 's'), Getopt.Option.flag("truncate", 'T'),
            Getopt.Option.value("user", 'u'), Getopt.Option.value("user", 'u').alias("uid"),
            Getopt.Option.value("units", (char) 0), Getopt.Option.flag("usage", 'U'),
            Getopt.Option.flag("verbose", 'v'), Getopt.Option.flag("version", 'V'),
            Getopt.Option.value("wckeys", 'W')));

    /**
     * @param me the caller, whose jobs alone are shown unless -a, -u or -j say otherwise (root sees everyone's)
     * @throws SlurmUsageException with the lines sacct prints before it exits 1
     */
    public static SacctOptions parse(List<String> args, String me, Clock clock) throws SlurmUsageException {
        return parse(args, me, clock, System.getenv());
    }

    /** @param env the caller's environment: SACCT_FORMAT, and the cluster a job runs in (-M) */
    public static SacctOptions parse(List<String> args, String me, Clock clock, Map<String, String> env)
            throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        if (p.has("help")) {
            return help(HELP);
        }
        if (p.has("usage")) {
            return help(USAGE);
        }
        if (p.has("version")) {
            return help(CommandOptions.VERSION);
        }
        if (p.has("helpformat")) {
            return help(SacctFormat.helpFormat());
        }
        if (p.has("clusters")) {
            SlurmClusters.check("sacct", p.last("clusters"), env);
        }
        if (!p.operands().isEmpty()) {
            throw new SlurmUsageException(List.of("sacct: error: Unknown arguments:", "sacct: error:  "
                    + String.join(" ", p.operands()), "sacct: error: Use --help for help"));
        }
        List<String> fields = new ArrayList<>();
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("format")) {
                Arrays.stream(u.value().split(",")).filter(f -> !f.isBlank()).forEach(fields::add);
            }
        }
        // SACCT_FORMAT stands for --format when neither it nor -b or -l is given, as in sacct's options.c.
        String sacctFormat = env.get("SACCT_FORMAT");
        if (fields.isEmpty() && !p.has("brief") && !p.has("long") && sacctFormat != null) {
            Arrays.stream(sacctFormat.split(",")).filter(f -> !f.isBlank()).map(String::strip).forEach(fields::add);
        }
        if (fields.isEmpty()) {
            fields = p.has("brief") ? SacctFormat.BRIEF_FIELDS : p.has("long") ? SacctFormat.LONG_FIELDS
                    : SacctFormat.DEFAULT_FIELDS;
        }
        SacctFormat.check(fields);
        List<SlurmJobId> jobs = null;
        if (p.last("jobs") != null) {
            jobs = new ArrayList<>();
            for (String part : SlurmJobId.entries(p.last("jobs"))) {
                // sacct -j 12.batch names a step; the job's rows are what Cadre can show.
                int step = part.indexOf('.', Math.max(0, part.indexOf(']')));
                try {
                    jobs.addAll(SlurmJobId.ids(step < 0 ? part : part.substring(0, step)));
                } catch (IllegalArgumentException e) {
                    // Slurm's text, naming a task list ("12_[3-1]") with what is wrong with it.
                    throw new SlurmUsageException("sacct: fatal: Bad job/step specified: "
                            + (e.getMessage().indexOf(':') > 0 ? e.getMessage() : part));
                }
            }
        }
        Set<String> users = p.has("allusers") ? null : p.last("user") != null
                ? OptionValues.names(p.last("user"))
                : jobs != null || "root".equals(me) ? null : Set.of(me);
        if (users != null && users.contains("-1")) {
            users = null;
        }
        Set<JobState> states = p.last("state") == null ? null : SqueueOptions.states(p.last("state"));
        Instant now = clock.instant();
        Instant from = p.last("starttime") == null ? null : SlurmTime.parsePast(p.last("starttime"), now,
                clock.getZone());
        Instant to = p.last("endtime") == null ? now : SlurmTime.parsePast(p.last("endtime"), now, clock.getZone());
        if (from == null && (jobs == null || p.last("endtime") != null)) {
            // Midnight today; with -s, "now": jobs in those states from now on.
            from = states != null ? now : LocalDate.ofInstant(now, clock.getZone()).atStartOfDay(clock.getZone())
                    .toInstant();
        }
        List<String> notes = new ArrayList<>();
        for (String ignored : List.of("accounts", "qos", "wckeys", "partition", "gid")) {
            if (p.has(ignored)) {
                notes.add("sacct: warning: --" + ignored + " is ignored: Cadre has no " + ignored);
            }
        }
        Set<String> nodes = OptionValues.hosts(p.last("nodelist"), "sacct: error: '" + p.last("nodelist")
                + "' invalid entry for --nodelist");
        PrintFields.Parsable parsable = p.has("parsable2") ? PrintFields.Parsable.NO_TRAILING_BAR
                : p.has("parsable") ? PrintFields.Parsable.TRAILING_BAR : PrintFields.Parsable.NO;
        String delimiter = p.last("delimiter") == null ? "|" : p.last("delimiter");
        return new SacctOptions(fields, !p.has("noheader"), parsable, delimiter, p.has("duplicates"),
                !p.has("allocations"), SacctUnits.of(p.last("units"), p.has("noconvert")), jobs, users, states,
                OptionValues.names(p.last("name")), nodes, from, to, null, notes);
    }

    private static SacctOptions help(String text) {
        return new SacctOptions(SacctFormat.DEFAULT_FIELDS, true, PrintFields.Parsable.NO, "|", false, true,
                SacctUnits.EXACT, null, null, null, null, null, null, null, text, List.of());
    }


    /** Whether a job (or one of its runs) that existed from submit to end is one the options select. */
    public boolean selects(String user, String name, JobState state, List<String> hosts, Instant submit,
            Instant end) {
        if (users != null && !users.contains(user)) {
            return false;
        }
        if (names != null && !names.contains(name)) {
            return false;
        }
        if (states != null && !states.contains(state)) {
            return false;
        }
        if (nodes != null && hosts.stream().noneMatch(nodes::contains)) {
            return false;
        }
        if (from == null) {
            return true;
        }
        // In the system at some moment of [from, to]: submitted by its end, not ended before its start. In whole
        // seconds, as Slurm keeps times: "-E now" takes a job submitted earlier in this second.
        return (submit == null || submit.getEpochSecond() <= to.getEpochSecond())
                && (end == null || end.getEpochSecond() >= from.getEpochSecond());
    }
}
