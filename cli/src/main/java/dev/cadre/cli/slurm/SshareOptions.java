package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * sshare's command line, read as sshare.c reads it.
 *
 * @param users the users whose lines are shown: -u's, else (without -a) the caller's alone; null for every user
 * @param accounts -A's accounts, or null for every one (Cadre has one, root)
 * @param format -o's fields, each a name (or a prefix of one) with an optional %width; null for sshare's default
 * @param usersOnly -U: no account line
 * @param partitions -m: a Partition column after User
 * @param help text to print instead of asking the head, else null
 */
public record SshareOptions(Set<String> users, Set<String> accounts, List<String> format, boolean longList,
        boolean header, PrintFields.Parsable parsable, boolean usersOnly, boolean partitions, String help)
        implements CommandOptions.WithHelp {

    static final String USAGE = """
            Usage:  sshare [OPTION]
              Valid OPTIONs are:
                -a or --all            list all users
                -A or --accounts=      display specific accounts (comma separated list)
                -e or --helpformat     Print a list of fields that can be specified
                                       with the '--format' option
                -l or --long           include normalized usage in output
                -m or --partition      print the partition part of the association
                -M or --cluster=names  clusters to issue commands to.
                -n or --noheader       omit header from output
                -o or --format=        Comma separated list of fields (use
                                       "--helpformat" for a list of available fields).
                -p or --parsable       '|' delimited output with a trailing '|'
                -P or --parsable2      '|' delimited output without a trailing '|'
                -u or --users=         display specific users (comma separated list)
                -U or --Users          display only user information
                -v or --verbose        display more information
                -V or --version        display tool version number
                      --help           display this usage description
                      --usage          display this usage description

            """;

    private static final Getopt OPTIONS = new Getopt("sshare", List.of(
            Getopt.Option.flag("all", 'a'), Getopt.Option.value("accounts", 'A'),
            Getopt.Option.flag("helpformat", 'e'), Getopt.Option.flag("noheader", 'h'),
            Getopt.Option.flag("long", 'l'), Getopt.Option.flag("partition", 'm'),
            Getopt.Option.value("clusters", 'M'), Getopt.Option.value("clusters", 'M').alias("cluster"),
            Getopt.Option.flag("noheader", 'n'), Getopt.Option.value("format", 'o'),
            Getopt.Option.flag("parsable", 'p'), Getopt.Option.flag("parsable2", 'P'),
            Getopt.Option.value("users", 'u'), Getopt.Option.flag("Users", 'U'),
            Getopt.Option.flag("verbose", 'v'), Getopt.Option.flag("version", 'V'),
            Getopt.Option.flag("help", (char) 0), Getopt.Option.flag("usage", (char) 0)));

    /**
     * @param caller the user running sshare, whose lines are shown without -a or -u
     * @param env SLURM_CLUSTER_NAME, for -M
     * @throws SlurmUsageException with the lines sshare prints before it exits 1
     */
    public static SshareOptions parse(List<String> args, String caller, Map<String, String> env)
            throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        // As getopt reaches them: the first of --help, --usage, -e and -V wins.
        for (Getopt.Use u : p.uses()) {
            String text = switch (u.key()) {
                case "help", "usage" -> USAGE;
                case "helpformat" -> SshareFormat.helpFormat();
                case "version" -> CommandOptions.VERSION;
                default -> null;
            };
            if (text != null) {
                return new SshareOptions(null, null, null, false, true, PrintFields.Parsable.NO, false, false, text);
            }
        }
        if (!p.operands().isEmpty()) {
            throw new SlurmUsageException(List.of("sshare: error: Unrecognized option: " + p.operands().get(0),
                    "Try \"sshare --help\" for more information"));
        }
        if (p.has("clusters")) {
            SlurmClusters.check("sshare", p.last("clusters"), env);
        }
        // -a, and -u -1, show every user; a later -u names users again, as sshare.c reads them in turn.
        Set<String> users = Set.of(caller);
        boolean named = false;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("all") || u.key().equals("users") && u.value().equals("-1")) {
                users = null;
                named = false;
            } else if (u.key().equals("users")) {
                Set<String> more = OptionValues.names(u.value());
                if (named) {
                    more.addAll(users);
                }
                users = more;
                named = true;
            }
        }
        if (p.has("all")) {
            users = null;
        }
        List<String> format = null;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("format")) {
                format = format == null ? new ArrayList<>() : format;
                for (String field : u.value().split(",")) {
                    if (!field.isBlank()) {
                        format.add(field);
                    }
                }
            }
        }
        PrintFields.Parsable parsable = PrintFields.Parsable.NO;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("parsable")) {
                parsable = PrintFields.Parsable.TRAILING_BAR;
            } else if (u.key().equals("parsable2")) {
                parsable = PrintFields.Parsable.NO_TRAILING_BAR;
            }
        }
        SshareOptions options = new SshareOptions(users, OptionValues.names(p.last("accounts")), format,
                p.has("long"), !p.has("noheader"), parsable, p.has("Users"), p.has("partition"), null);
        SshareFormat.columns(options);
        return options;
    }
}
