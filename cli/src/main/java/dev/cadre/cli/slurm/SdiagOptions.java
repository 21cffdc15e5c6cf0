package dev.cadre.cli.slurm;

import java.util.List;
import java.util.Map;

/**
 * sdiag's command line, read as sdiag's opts.c reads it: -a (the default), -r, -t and -T (the order of the message
 * types), -M, --json, --help, --usage and -V. -i and --yaml are refused by name: Cadre's messages have names, not
 * Slurm's RPC numbers, and the client has no YAML writer.
 *
 * @param reset -r: start the head's counts again instead of showing them
 * @param help text to print instead of asking the head anything, else null
 */
public record SdiagOptions(boolean reset, SdiagFormat.Order order, boolean json, String help)
        implements CommandOptions.WithHelp {

    static final String USAGE = "Usage: sdiag [-M cluster] [-aritT]\n";
    static final String HELP = """
            Usage: sdiag [OPTIONS]
              -a, --all           all statistics
              -r, --reset         reset statistics
              -M, --cluster       direct the request to a specific cluster
              -i, --sort-by-id    sort RPCs by id
              -t, --sort-by-time  sort RPCs by total run time
              -T, --sort-by-time2 sort RPCs by average run time
              -V, --version       display current version number
              --json              Produce JSON output
              --yaml              Produce YAML output

            Help options:
              --help          show this help message
              --usage         display brief usage message
            """;

    private static final Getopt OPTIONS = new Getopt("sdiag", List.of(
            Getopt.Option.flag("all", 'a'), Getopt.Option.flag("help", 'h'), Getopt.Option.flag("reset", 'r'),
            Getopt.Option.flag("sort-by-id", 'i'), Getopt.Option.value("cluster", 'M'),
            Getopt.Option.value("cluster", 'M').alias("clusters"), Getopt.Option.flag("sort-by-time", 't'),
            Getopt.Option.flag("sort-by-time2", 'T'), Getopt.Option.flag("usage", (char) 0),
            Getopt.Option.flag("version", 'V'), Getopt.Option.flag("json", (char) 0),
            Getopt.Option.flag("yaml", (char) 0)));

    /**
     * @param env SLURM_CLUSTER_NAME for -M
     * @throws SlurmUsageException with the lines sdiag prints before it exits 1
     */
    public static SdiagOptions parse(List<String> args, Map<String, String> env) throws SlurmUsageException {
        Getopt.Parsed p = OPTIONS.parse(args);
        boolean reset = false;
        SdiagFormat.Order order = SdiagFormat.Order.COUNT;
        // As sdiag's switch: --help, --usage and -V act where getopt reaches them; a later -a or -r wins over an
        // earlier one.
        for (Getopt.Use u : p.uses()) {
            switch (u.key()) {
                case "help" -> {
                    return new SdiagOptions(false, order, false, HELP);
                }
                case "usage" -> {
                    return new SdiagOptions(false, order, false, USAGE);
                }
                case "version" -> {
                    return new SdiagOptions(false, order, false, CommandOptions.VERSION);
                }
                case "all" -> reset = false;
                case "reset" -> reset = true;
                case "sort-by-time" -> order = SdiagFormat.Order.TOTAL_TIME;
                case "sort-by-time2" -> order = SdiagFormat.Order.AVERAGE_TIME;
                case "sort-by-id" -> throw new SlurmUsageException("sdiag: error: -i/--sort-by-id is not supported by"
                        + " this Cadre version: Cadre's messages have names, not Slurm's RPC numbers; use -t or -T");
                case "yaml" -> throw new SlurmUsageException("sdiag: error: --yaml is not supported by this Cadre"
                        + " version; use --json");
                case "cluster" -> SlurmClusters.check("sdiag", u.value(), env);
                default -> {
                }
            }
        }
        if (!p.operands().isEmpty()) {
            throw new SlurmUsageException(List.of("sdiag: error: unexpected argument '" + p.operands().get(0) + "'",
                    "Try \"sdiag --help\" for more information"));
        }
        return new SdiagOptions(reset, order, p.has("json"), null);
    }
}
