package dev.cadre.cli.slurm;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sreport's command line, read as sreport.c reads it: getopt's options ("aM:hnpPQs:t:T:vV" and their long names), then
 * one command, its report and the report's conditions (SreportConditions). Cadre runs the one command given; without
 * one sreport would read commands from its terminal, which Cadre's does not.
 *
 * @param report what to print, null when {@code help} is set
 * @param help text to print instead (the usage, the version, or nothing for a keyword that prints nothing)
 */
public record SreportCommandLine(SreportRequest report, String help) implements CommandOptions.WithHelp {

    private static final Getopt OPTIONS = new Getopt("sreport", List.of(
            Getopt.Option.flag("all_clusters", 'a'), Getopt.Option.value("cluster", 'M'),
            Getopt.Option.flag("help", 'h'), Getopt.Option.flag("help", (char) 0).alias("usage"),
            Getopt.Option.flag("noheader", 'n'), Getopt.Option.flag("parsable", 'p'),
            Getopt.Option.flag("parsable2", 'P'), Getopt.Option.flag("quiet", 'Q'), Getopt.Option.value("sort", 's'),
            Getopt.Option.value("", 't'), Getopt.Option.value("tres", 'T'), Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V'), Getopt.Option.flag("local", (char) 0),
            Getopt.Option.flag("federation", (char) 0)));

    /** The options every report shares. */
    record Settings(SreportTime time, Parsable parsable, boolean header, boolean sortByName, String tres) {
    }

    /**
     * @param env SREPORT_TRES (what -T overrides) and SLURM_CLUSTER_NAME (the cluster -M may name)
     * @throws SlurmUsageException what sreport prints before it exits 1
     */
    public static SreportCommandLine parse(List<String> args, Map<String, String> env) throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        SreportTime time = SreportTime.MINUTES;
        boolean byName = false;
        String tres = env.get("SREPORT_TRES");
        for (Getopt.Use u : p.uses()) {
            switch (u.key()) {
                case "help" -> {
                    return new SreportCommandLine(null, SreportHelp.USAGE);
                }
                case "version" -> {
                    return new SreportCommandLine(null, CommandOptions.VERSION);
                }
                case "" -> time = SreportTime.parse(u.value());
                case "sort" -> byName = sortByName(u.value());
                case "tres" -> tres = u.value();
                case "cluster" -> SlurmClusters.check("sreport", u.value(), env);
                default -> {
                }
            }
        }
        checkTres(tres);
        Parsable parsable = Parsable.NO;
        for (Getopt.Use u : p.uses()) {
            if (u.key().equals("parsable")) {
                parsable = Parsable.TRAILING_BAR;
            } else if (u.key().equals("parsable2")) {
                parsable = Parsable.NO_TRAILING_BAR;
            }
        }
        Settings settings = new Settings(time, parsable, !p.has("noheader"), byName, tres);
        return command(p.operands(), settings, env);
    }

    private static SreportCommandLine command(List<String> words, Settings settings, Map<String, String> env)
            throws SlurmUsageException {
        if (words.isEmpty()) {
            throw new SlurmUsageException("sreport: error: give the report to run on the command line (sreport user"
                    + " TopUsage); Cadre's sreport has no interactive mode");
        }
        String keyword = words.get(0);
        List<String> rest = words.subList(1, words.size());
        if (abbrev(keyword, "help", 2)) {
            if (!rest.isEmpty()) {
                throw new SlurmUsageException(List.of("too many arguments for keyword:" + keyword, SreportHelp.USAGE
                        .stripTrailing()));
            }
            return new SreportCommandLine(null, SreportHelp.USAGE);
        }
        if (abbrev(keyword, "version", 4)) {
            return new SreportCommandLine(null, CommandOptions.VERSION);
        }
        boolean cluster = abbrev(keyword, "cluster", 2);
        boolean job = abbrev(keyword, "job", 1);
        boolean user = abbrev(keyword, "user", 1);
        boolean elsewhere = abbrev(keyword, "association", 1) || abbrev(keyword, "reservation", 2)
                || abbrev(keyword, "resv", 2);
        if (!cluster && !job && !user && !elsewhere) {
            throw new SlurmUsageException("invalid keyword: " + keyword);
        }
        if (rest.isEmpty()) {
            throw new SlurmUsageException("too few arguments for keyword:" + keyword);
        }
        if (elsewhere) {
            throw new SlurmUsageException("sreport: error: Cadre keeps no associations or reservations to report on;"
                    + " cluster, job and user reports are what it has");
        }
        SreportRequest.Kind kind = cluster ? clusterReport(rest.get(0)) : job ? jobReport(rest.get(0))
                : userReport(rest.get(0));
        return new SreportCommandLine(SreportConditions.read(kind, rest.subList(1, rest.size()), settings, env),
                null);
    }

    private static SreportRequest.Kind clusterReport(String name) throws SlurmUsageException {
        if (leading(name, "AccountUtilizationByUser", 1)) {
            return SreportRequest.Kind.ACCOUNT_BY_USER;
        }
        if (leading(name, "UserUtilizationByAccount", 18) || leading(name, "UA", 2)) {
            return SreportRequest.Kind.USER_BY_ACCOUNT;
        }
        if (leading(name, "UserUtilizationByWckey", 18) || leading(name, "UW", 2) || leading(name, "W", 1)) {
            throw new SlurmUsageException("sreport: error: Cadre keeps no WCKeys: " + name + " has nothing to report");
        }
        if (leading(name, "Utilization", 2)) {
            return SreportRequest.Kind.UTILIZATION;
        }
        throw new SlurmUsageException(List.of("Not valid report " + name, "Valid cluster reports are,"
                + " \"AccountUtilizationByUser\", \"UserUtilizationByAccount\", \"UserUtilizationByWckey\","
                + " \"Utilization\", and \"WCKeyUtilizationByUser\""));
    }

    private static SreportRequest.Kind jobReport(String name) throws SlurmUsageException {
        if (abbrev(name, "SizesByAccount", 1)) {
            return SreportRequest.Kind.JOB_SIZES;
        }
        if (abbrev(name, "SizesByWcKey", 8) || abbrev(name, "SizesByAccountAndWcKey", 15)) {
            throw new SlurmUsageException("sreport: error: Cadre keeps no WCKeys: " + name + " has nothing to report");
        }
        throw new SlurmUsageException(List.of("Not valid report " + name,
                "Valid job reports are, \"SizesByAccount, SizesByAccountAndWcKey, and  SizesByWckey\""));
    }

    private static SreportRequest.Kind userReport(String name) throws SlurmUsageException {
        if (leading(name, "Top", 1)) {
            return SreportRequest.Kind.TOP_USAGE;
        }
        throw new SlurmUsageException(List.of("Not valid report " + name, "Valid user reports are, \"Top\""));
    }

    /** -s: Name orders users by name, Time (the default) by usage. */
    private static boolean sortByName(String value) throws SlurmUsageException {
        if (abbrev(value, "Name", 1)) {
            return true;
        }
        if (abbrev(value, "Time", 6)) {
            return false;
        }
        throw new SlurmUsageException("unknown timesort format " + value);
    }

    /** Cadre records the CPUs each job held and nothing else over time: -T takes cpu alone. */
    private static void checkTres(String tres) throws SlurmUsageException {
        if (tres == null) {
            return;
        }
        for (String name : tres.split(",")) {
            if (!name.strip().equalsIgnoreCase("cpu")) {
                throw new SlurmUsageException("sreport: error: Cadre records only the cpu TRES over time; '"
                        + name.strip() + "' cannot be reported (-T/--tres, SREPORT_TRES)");
            }
        }
    }

    /** Slurm's strncasecmp(given, name, MAX(len, least)) == 0: a prefix of name at least {@code least} long. */
    static boolean abbrev(String given, String name, int least) {
        return given.length() >= Math.min(least, name.length()) && given.length() <= name.length()
                && name.regionMatches(true, 0, given, 0, given.length());
    }

    /** Slurm's strncasecmp(given, name, n) == 0: the first n letters alone decide. */
    private static boolean leading(String given, String name, int n) {
        return given.length() >= n && given.toLowerCase(Locale.ROOT).startsWith(name.substring(0, n)
                .toLowerCase(Locale.ROOT));
    }
}
