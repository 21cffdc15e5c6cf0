package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * sacctmgr's command line, read as sacctmgr.c reads it: getopt's options ("hiM:nopPQrsvV" and their long names), then
 * one command. Cadre keeps no accounts database, so of sacctmgr's commands it runs {@code show|list event[s]}, from
 * the nodes' history; every other command and entity is refused, naming it. Without a command sacctmgr would read
 * commands from its terminal, which Cadre's does not.
 *
 * @param events what to list, null when {@code help} is set
 * @param help text to print instead (the usage or the version)
 */
public record SacctmgrCommandLine(SacctmgrEvents events, String help) implements CommandOptions.WithHelp {

    public static final String USAGE = """
            sacctmgr [<OPTION>] [<COMMAND>]
                Valid <OPTION> values are:
                 -h or --help: equivalent to "help" command
                 -i or --immediate: commit changes immediately
                 -n or --noheader: no header will be added to the beginning of output
                 -p or --parsable: output will be '|' delimited with a '|' at the end
                 -P or --parsable2: output will be '|' delimited without a '|' at the end
                 -Q or --quiet: equivalent to "quiet" command
                 -v or --verbose: equivalent to "verbose" command
                 -V or --version: equivalent to "version" command

              Cadre's sacctmgr runs one command, given on its command line:
                 list|show event [All_Clusters] [All_Time] [Clusters=<name>] [End=<time>]
                     [Event=Cluster|Node] [Format=<fields>] [MaxCPUs=<n>] [MinCPUs=<n>]
                     [Nodes=<nodes>] [Reason=<text>] [Start=<time>] [States=<states>]
                     [User=<users>]

              Event format fields: Cluster, ClusterNodes, CPUCount, Duration, End, Event, EventRaw,
                 NodeName, Reason, Start, State, StateRaw, TRES, User

              Cadre keeps no accounts database: accounts, associations, users, QOS, clusters,
              coordinators, reservations, TRES, WCKeys and the other entities are not kept, and
              add, modify, delete, archive, dump, load and the other commands are not supported.
            """;

    private static final Getopt OPTIONS = new Getopt("sacctmgr", List.of(
            Getopt.Option.flag("help", 'h'), Getopt.Option.flag("help", (char) 0).alias("usage"),
            Getopt.Option.flag("immediate", 'i'), Getopt.Option.value("cluster", 'M'),
            Getopt.Option.flag("noheader", 'n'), Getopt.Option.flag("oneliner", 'o'),
            Getopt.Option.flag("parsable", 'p'), Getopt.Option.flag("parsable2", 'P'),
            Getopt.Option.flag("quiet", 'Q'), Getopt.Option.flag("readonly", 'r'),
            Getopt.Option.flag("associations", 's'), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V')));

    /**
     * @param env SLURM_CLUSTER_NAME (the cluster -M and Clusters= may name)
     * @throws SlurmUsageException what sacctmgr prints before it exits 1
     */
    public static SacctmgrCommandLine parse(List<String> args, Map<String, String> env, Instant now, ZoneId zone)
            throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        Parsable parsable = Parsable.NO;
        for (Getopt.Use u : p.uses()) {
            switch (u.key()) {
                case "help" -> {
                    return new SacctmgrCommandLine(null, USAGE);
                }
                case "version" -> {
                    return new SacctmgrCommandLine(null, CommandOptions.VERSION);
                }
                case "cluster" -> SlurmClusters.check("sacctmgr", u.value(), env);
                case "parsable" -> parsable = Parsable.TRAILING_BAR;
                case "parsable2" -> parsable = Parsable.NO_TRAILING_BAR;
                default -> {
                }
            }
        }
        List<String> words = p.operands();
        if (words.isEmpty()) {
            throw new SlurmUsageException("sacctmgr: error: give the command to run on the command line (sacctmgr"
                    + " show event); Cadre's sacctmgr has no interactive mode");
        }
        String verb = words.get(0);
        List<String> rest = words.subList(1, words.size());
        if (abbrev(verb, "help", 2)) {
            if (!rest.isEmpty()) {
                throw new SlurmUsageException(List.of("too many arguments for keyword:" + verb, USAGE.stripTrailing()));
            }
            return new SacctmgrCommandLine(null, USAGE);
        }
        if (abbrev(verb, "version", 4)) {
            return new SacctmgrCommandLine(null, CommandOptions.VERSION);
        }
        if (!abbrev(verb, "show", 3) && !abbrev(verb, "list", 3)) {
            throw new SlurmUsageException("sacctmgr: error: '" + verb + "' is not supported by Cadre: it keeps no"
                    + " accounts database to change; 'sacctmgr show event' is what it has");
        }
        if (rest.isEmpty() || !abbrev(rest.get(0), "events", 1)) {
            String entity = rest.isEmpty() ? "" : " " + rest.get(0);
            throw new SlurmUsageException("sacctmgr: error: '" + verb + entity + "' is not supported by Cadre: it"
                    + " keeps no accounts, associations, users, QOS or other accounting entities; 'sacctmgr " + verb
                    + " event' is what it has");
        }
        return new SacctmgrCommandLine(SacctmgrEvents.read(rest.subList(1, rest.size()), parsable,
                !p.has("noheader"), env, now, zone), null);
    }

    static boolean abbrev(String given, String name, int least) {
        return SreportCommandLine.abbrev(given, name, least);
    }
}
