package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sprio's command line, read as sprio's opts.c reads it.
 *
 * @param format -o (or SPRIO_FORMAT), else null for sprio's default, chosen by -l, -n, -u and the weights
 * @param jobs -j's job ids, or null for every pending job; an array task (12_3) names its array's record, 12
 * @param users -u's names, or null for everyone
 * @param partitions -p's names, or null for every partition
 * @param sort -S's keys, sprio's default "i" (by job id) when none is given
 * @param help text to print instead of reading any job, else null
 */
public record SprioOptions(String format, boolean longList, boolean normalised, boolean weights, boolean header,
        List<Long> jobs, Set<String> users, Set<String> partitions, String sort, String help)
        implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage: sprio [-j jid[s]] [-u user_name[s]] [-o format] [-p partitions]
               [--federation] [--local] [--sibling] [--usage] [-hlnvVw]
            """;
    static final String HELP = """
            Usage: sprio [OPTIONS]
                  --federation                display jobs in federation if a member of one
              -h, --noheader                  no headers on output
              -j, --jobs                      comma separated list of jobs
                                              to view, default is all
                  --local                     display jobs on local cluster only
              -l, --long                      long report
              -M, --cluster=cluster_name      cluster to issue commands to.  Default is
                                              current cluster.  cluster with no name will
                                              reset to default.
              -n, --norm                      display normalized values
              -o, --format=format             format specification
              -S, --sort=sort_list            comma separated list of fields to sort on
                  --sibling                   display job records separately for each federation cluster
              -p, --partition=partition_name  comma separated list of partitions
              -u, --user=user_name            comma separated list of users to view
              -v, --verbose                   verbosity level
              -V, --version                   output version information and exit
              -w, --weights                   show the weights for each priority factor

            Help options:
              --help                          show this help message
              --helpformat                    print a list of fields that can be specified
                                              with '--format=' option
              --usage                         display a brief summary of sprio options
            """;

    /** The keys -S sorts on; ',' '+' and '-' separate them and choose the direction. */
    static final String SORT_KEYS = "ciNnoruAaFfJjPpQqTtYy";

    private static final Getopt OPTIONS = new Getopt("sprio", List.of(
            Getopt.Option.flag("noheader", 'h'), Getopt.Option.optional("jobs", 'j'),
            Getopt.Option.flag("long", 'l'), Getopt.Option.value("clusters", 'M'),
            Getopt.Option.value("clusters", 'M').alias("cluster"), Getopt.Option.flag("norm", 'n'),
            Getopt.Option.value("format", 'o'), Getopt.Option.value("sort", 'S'),
            Getopt.Option.value("partition", 'p'), Getopt.Option.value("users", 'u').alias("user"),
            Getopt.Option.value("users", 'u'), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V'), Getopt.Option.flag("weights", 'w'),
            Getopt.Option.flag("federation", (char) 0), Getopt.Option.flag("help", (char) 0),
            Getopt.Option.flag("helpformat", (char) 0), Getopt.Option.flag("local", (char) 0),
            Getopt.Option.flag("sibling", (char) 0), Getopt.Option.flag("sibling", (char) 0).alias("sib"),
            Getopt.Option.flag("usage", (char) 0)));

    /**
     * @param env SPRIO_FORMAT, and SLURM_CLUSTER_NAME for -M
     * @throws SlurmUsageException with the lines sprio prints before it exits 1
     */
    public static SprioOptions parse(List<String> args, Map<String, String> env) throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        // sprio acts on --help, --usage, --helpformat and -V as getopt reaches them: the first one given wins.
        for (Getopt.Use u : p.uses()) {
            String text = switch (u.key()) {
                case "help" -> HELP;
                case "usage" -> USAGE;
                case "helpformat" -> SprioFormat.helpFormat();
                case "version" -> CommandOptions.VERSION;
                default -> null;
            };
            if (text != null) {
                return new SprioOptions(null, false, false, false, true, null, null, null, "i", text);
            }
        }
        String jobs = null;
        boolean jobFlag = false;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("jobs")) {
                jobFlag = true;
                jobs = u.value() != null ? u.value() : jobs;
            }
        }
        List<String> operands = new ArrayList<>(p.operands());
        // "-j 12": -j's value is optional, so 12 is an operand, which sprio takes as the list when -j was given.
        if (jobFlag && !operands.isEmpty()) {
            jobs = operands.remove(0);
        }
        if (!operands.isEmpty()) {
            List<String> lines = new ArrayList<>(List.of("sprio: error: Unrecognized option: " + operands.get(0)));
            lines.addAll(USAGE.lines().toList());
            throw new SlurmUsageException(lines);
        }
        if (p.has("clusters")) {
            SlurmClusters.check("sprio", p.last("clusters"), env);
        }
        String format = p.last("format");
        if (p.has("long") && format != null) {
            throw new SlurmUsageException("sprio: fatal: Options -o(--format) and -l(--long) are mutually exclusive."
                    + " Please remove one and retry.");
        }
        if (format == null && !p.has("long")) {
            format = env.get("SPRIO_FORMAT");
        }
        String sort = p.last("sort") == null ? "i" : p.last("sort");
        for (char c : sort.toCharArray()) {
            if (c != ',' && c != '+' && c != '-' && SORT_KEYS.indexOf(c) < 0) {
                throw new SlurmUsageException("sprio: error: Invalid sort specification: " + c);
            }
        }
        SprioOptions options = new SprioOptions(format, p.has("long"), p.has("norm"), p.has("weights"),
                !p.has("noheader"), jobIds(jobs), OptionValues.names(p.last("users")),
                OptionValues.names(p.last("partition")), sort, null);
        SprioFormat.fields(options);
        return options;
    }

    /** -j's list: "12", "12_3" (its array's record, 12), each once; null when no list was given. */
    private static List<Long> jobIds(String jobs) throws SlurmUsageException {
        if (jobs == null) {
            return null;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String entry : jobs.split(",")) {
            if (entry.isEmpty()) {
                continue;
            }
            String id = entry.indexOf('_') < 0 ? entry : entry.substring(0, entry.indexOf('_'));
            if (!id.matches("[0-9]{1,18}") || SlurmJobId.parse(entry).isEmpty()) {
                throw new SlurmUsageException("sprio: error: Invalid job id: " + entry);
            }
            ids.add(Long.parseLong(id));
        }
        return List.copyOf(ids);
    }

    /** Whether the options pick this job: -j, -u and -p each, when given. */
    public boolean picks(SprioJob j) {
        return (jobs == null || jobs.contains(j.id())) && (users == null || users.contains(j.user()))
                && (partitions == null || partitions.contains(j.partition()));
    }
}
