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
 * @param help text to print instead of nodes (--help, --usage), else null
 */
public record SinfoOptions(String format, boolean builtInFormat, boolean header, boolean longOutput,
        boolean nodeOriented, boolean exact, boolean showsPartition, Predicate<SinfoNode> filter, String help) {

    static final String USAGE = """
            Usage: sinfo [-adelNRrsv] [-t states] [-p partition] [-n nodes] [-o format]
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

            Help options:
              --help                     show this help message
              --usage                    display brief usage message
            """;

    /** sinfo's options: what each long name stands for and whether it takes a value. */
    private record Option(String name, char key, boolean hasValue) {
    }

    private static final char NO_SHORT = 0;
    private static final List<Option> LONG = List.of(
            new Option("all", 'a', false), new Option("dead", 'd', false), new Option("exact", 'e', false),
            new Option("federation", NO_SHORT, false), new Option("future", 'F', false),
            new Option("help", NO_SHORT, false), new Option("hide", NO_SHORT, false),
            new Option("iterate", 'i', true), new Option("json", NO_SHORT, false), new Option("local", NO_SHORT, false),
            new Option("long", 'l', false), new Option("cluster", 'M', true), new Option("clusters", 'M', true),
            new Option("nodes", 'n', true), new Option("noconvert", NO_SHORT, false),
            new Option("noheader", 'h', false), new Option("Node", 'N', false), new Option("format", 'o', true),
            new Option("Format", 'O', true), new Option("partition", 'p', true), new Option("responding", 'r', false),
            new Option("list-reasons", 'R', false), new Option("summarize", 's', false),
            new Option("sort", 'S', true), new Option("states", 't', true), new Option("reservation", 'T', false),
            new Option("usage", NO_SHORT, false), new Option("verbose", 'v', false),
            new Option("version", 'V', false), new Option("yaml", NO_SHORT, false));
    private static final String SHORT_FLAGS = "adeFhlNrRsTvV";
    private static final String SHORT_WITH_VALUE = "iMnoOpSt";
    /** Real sinfo options Cadre cannot honour; printing something else would mislead. */
    private static final Set<String> REFUSED = Set.of("iterate", "cluster", "clusters", "Format", "sort",
            "reservation", "version", "json", "yaml");

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
        for (String[] use : scan(args)) {
            String name = use[0];
            String value = use[1];
            if (REFUSED.contains(name)) {
                throw new SlurmUsageException("sinfo: error: --" + name + " is not supported by this Cadre version");
            }
            switch (name) {
                case "format" -> format = value;
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
                flags.contains("exact"), showsPartition, filter, null);
    }

    private static SinfoOptions helpOnly(String text) {
        return new SinfoOptions(SinfoFormat.DEFAULT, true, true, false, false, false, true, n -> true, text);
    }

    private static Set<String> nodeNames(String list) throws SlurmUsageException {
        try {
            return new HashSet<>(HostList.expand(list));
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("sinfo: error: '" + list + "' invalid entry for --nodes");
        }
    }

    /** Each option used, as {long name, value or null}, in order; words that are not options are ignored. */
    private static List<String[]> scan(List<String> args) throws SlurmUsageException {
        List<String[]> uses = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (word.equals("--")) {
                break;
            }
            if (word.startsWith("--")) {
                int eq = word.indexOf('=');
                Option o = byLongName(eq < 0 ? word.substring(2) : word.substring(2, eq), word);
                String value = eq < 0 ? null : word.substring(eq + 1);
                if (!o.hasValue() && value != null) {
                    throw getopt("option '--" + o.name() + "' doesn't allow an argument");
                }
                if (o.hasValue() && value == null) {
                    if (i + 1 >= args.size()) {
                        throw getopt("option '--" + o.name() + "' requires an argument");
                    }
                    value = args.get(++i);
                }
                uses.add(new String[] {canonical(o), value});
            } else if (word.startsWith("-") && word.length() > 1) {
                i = shortOptions(args, i, uses);
            }
        }
        return uses;
    }

    private static int shortOptions(List<String> args, int i, List<String[]> uses) throws SlurmUsageException {
        String word = args.get(i);
        for (int j = 1; j < word.length(); j++) {
            char c = word.charAt(j);
            if (SHORT_FLAGS.indexOf(c) >= 0) {
                uses.add(new String[] {byKey(c), null});
            } else if (SHORT_WITH_VALUE.indexOf(c) >= 0) {
                if (j + 1 < word.length()) {
                    uses.add(new String[] {byKey(c), word.substring(j + 1)});
                } else if (i + 1 < args.size()) {
                    uses.add(new String[] {byKey(c), args.get(++i)});
                } else {
                    throw getopt("option requires an argument -- '" + c + "'");
                }
                break;
            } else {
                throw getopt("invalid option -- '" + c + "'");
            }
        }
        return i;
    }

    /** An exact name, else the one option every name starting so stands for; glibc names the rest ambiguous. */
    private static Option byLongName(String given, String word) throws SlurmUsageException {
        List<Option> candidates = LONG.stream().filter(o -> o.name().equals(given)).toList();
        if (candidates.isEmpty()) {
            candidates = LONG.stream().filter(o -> o.name().startsWith(given)).toList();
        }
        if (candidates.isEmpty()) {
            throw getopt("unrecognized option '" + word + "'");
        }
        Option first = candidates.get(0);
        if (candidates.stream().anyMatch(o -> o.key() != first.key() || o.key() == NO_SHORT && o != first)) {
            StringBuilder names = new StringBuilder();
            candidates.forEach(o -> names.append(" '--").append(o.name()).append("'"));
            throw getopt("option '--" + given + "' is ambiguous; possibilities:" + names);
        }
        return first;
    }

    /** Options sharing a short letter are one option: --cluster and --clusters are -M. */
    private static String canonical(Option o) {
        return o.key() == NO_SHORT ? o.name() : byKey(o.key());
    }

    private static String byKey(char key) {
        return LONG.stream().filter(o -> o.key() == key).findFirst().orElseThrow().name();
    }

    private static SlurmUsageException getopt(String complaint) {
        return new SlurmUsageException(List.of("sinfo: " + complaint, "Try \"sinfo --help\" for more information"));
    }
}
