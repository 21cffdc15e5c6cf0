package dev.cadre.cli.slurm;

import dev.cadre.protocol.HostList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * sinfo's command line, read as its getopt_long reads it (bundled short options, attached values, unambiguous
 * long prefixes), with glibc's error texts.
 *
 * @param format the -o format, or the built-in one the other options choose
 * @param builtInFormat the format is sinfo's own, where '#' widths apply
 * @param showsPartition -p (or SINFO_PARTITION) does not leave out Cadre's one partition
 * @param filter the nodes -n, -t, -d and -r let through (with -R, only unavailable ones)
 * @param help text to print instead of nodes (--help, --usage, --version), else null
 * @param reservations -T (--reservation): the reservations in place of the nodes, as sinfo lists them
 */
public record SinfoOptions(String format, boolean builtInFormat, boolean header, boolean longOutput,
        boolean nodeOriented, boolean exact, boolean showsPartition, Predicate<SinfoNode> filter, String help,
        boolean reservations) implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage: sinfo [-adelNRrsTv] [-t states] [-p partition] [-n nodes] [-o format]
            """;
    static final String HELP = """
            Usage: sinfo [OPTIONS]
              -a, --all                  show all partitions (Cadre has one: batch)
              -d, --dead                 show only non-responding nodes
              -e, --exact                group nodes only on exact match of configuration
              -h, --noheader             no headers on output
              -l, --long                 long output - displays more information
              -n, --nodes=NODES          report on specific node(s)
              -N, --Node                 Node-centric format
              -o, --format=format        format specification
              -p, --partition=PARTITION  report on specific partition
              -r, --responding           report only responding nodes
              -R, --list-reasons         list reason nodes are down or drained
              -s, --summarize            report state summary only
              -t, --states=node_state    specify what states of nodes to view
              -T, --reservation          show only reservation information

            Help options:
              --help                     show this help message
              --usage                    display brief usage message
              -V, --version              output version information and exit
            """;

    /** sinfo's options; options that share a short letter (--cluster, --clusters) share a key. */
    private static final Getopt OPTIONS = new Getopt("sinfo", List.of(
            Getopt.Option.flag("all", 'a'), Getopt.Option.flag("dead", 'd'), Getopt.Option.flag("exact", 'e'),
            Getopt.Option.flag("federation", (char) 0), Getopt.Option.flag("future", 'F'),
            Getopt.Option.flag("help", (char) 0), Getopt.Option.flag("hide", (char) 0),
            Getopt.Option.value("iterate", 'i'), Getopt.Option.flag("json", (char) 0),
            Getopt.Option.flag("local", (char) 0), Getopt.Option.flag("long", 'l'),
            Getopt.Option.value("clusters", 'M').alias("cluster"), Getopt.Option.value("clusters", 'M'),
            Getopt.Option.value("nodes", 'n'), Getopt.Option.flag("noconvert", (char) 0),
            Getopt.Option.flag("noheader", 'h'), Getopt.Option.flag("Node", 'N'), Getopt.Option.value("format", 'o'),
            Getopt.Option.value("Format", 'O'), Getopt.Option.value("partition", 'p'),
            Getopt.Option.flag("responding", 'r'), Getopt.Option.flag("list-reasons", 'R'),
            Getopt.Option.flag("summarize", 's'), Getopt.Option.value("sort", 'S'), Getopt.Option.value("states", 't'),
            Getopt.Option.flag("reservation", 'T'), Getopt.Option.flag("usage", (char) 0),
            Getopt.Option.flag("verbose", 'v'), Getopt.Option.flag("version", 'V'),
            Getopt.Option.flag("yaml", (char) 0)));
    /** Real sinfo options Cadre cannot honour; printing something else would mislead. */
    private static final Set<String> REFUSED = Set.of("iterate", "Format", "sort", "json", "yaml");

    public boolean selects(SinfoNode node) {
        return filter.test(node);
    }

    /**
     * @param env where SINFO_FORMAT and SINFO_PARTITION are read, as sinfo does
     * @throws SlurmUsageException with the whole lines to print, each starting "sinfo: "
     */
    public static SinfoOptions parse(List<String> args, Map<String, String> env) throws SlurmUsageException {
        Set<String> flags = new HashSet<>();
        String format = null;
        String partitions = env.get("SINFO_PARTITION");
        String states = null;
        Set<String> nodes = null;
        for (Getopt.Use use : OPTIONS.parse(args).uses()) {
            String name = use.key();
            String value = use.value();
            if (REFUSED.contains(name)) {
                throw new SlurmUsageException("sinfo: error: --" + name + " is not supported by this Cadre version");
            }
            switch (name) {
                case "format" -> format = value;
                case "clusters" -> SlurmClusters.check("sinfo", value, env);
                case "partition" -> {
                    partitions = value;
                    flags.add(name);
                }
                case "states" -> states = value;
                case "nodes" -> nodes = nodeNames(value);
                case "help" -> {
                    return helpOnly(HELP);
                }
                case "usage" -> {
                    return helpOnly(USAGE);
                }
                case "version" -> {
                    return helpOnly(CommandOptions.VERSION);
                }
                default -> flags.add(name);
            }
        }
        if (flags.contains("all") && flags.contains("partition")) {
            throw new SlurmUsageException(
                    "sinfo: error: Conflicting options, -a and -p, specified. Please choose one or the other.");
        }
        boolean longOutput = flags.contains("long");
        boolean node = flags.contains("Node");
        boolean reasons = flags.contains("list-reasons");
        String chosen = format != null ? format
                : flags.contains("summarize") ? SinfoFormat.SUMMARIZE
                : node ? (longOutput ? SinfoFormat.LONG_NODES : SinfoFormat.NODES)
                : reasons ? (longOutput ? SinfoFormat.LONG_REASONS : SinfoFormat.REASONS)
                : env.get("SINFO_FORMAT") != null ? env.get("SINFO_FORMAT")
                : longOutput ? SinfoFormat.LONG : SinfoFormat.DEFAULT;
        boolean builtIn = format == null && (flags.contains("summarize") || node || reasons
                || env.get("SINFO_FORMAT") == null);
        Predicate<SinfoNode> inStates = SinfoStates.parse(states != null ? states
                : reasons ? "down,fail,drain" : "all");
        Set<String> named = nodes;
        Predicate<SinfoNode> filter = n -> inStates.test(n) && (named == null || named.contains(n.name()))
                && !(flags.contains("dead") && !n.down()) && !(flags.contains("responding") && n.down());
        boolean showsPartition = partitions == null || flags.contains("all")
                || Arrays.asList(partitions.split(",")).contains(SinfoGroup.PARTITION);
        return new SinfoOptions(chosen, builtIn, !flags.contains("noheader"), longOutput, node,
                flags.contains("exact"), showsPartition, filter, null, flags.contains("reservation"));
    }

    private static SinfoOptions helpOnly(String text) {
        return new SinfoOptions(SinfoFormat.DEFAULT, true, true, false, false, false, true, n -> true, text, false);
    }

    private static Set<String> nodeNames(String list) throws SlurmUsageException {
        try {
            return new HashSet<>(HostList.expand(list));
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("sinfo: error: '" + list + "' invalid entry for --nodes");
        }
    }
}
