package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sbcast's command line, read as Slurm's sbcast reads it (src/sbcast/opts.c): first its SBCAST_* input variables,
 * then getopt_long over {@code C::fF:j:ps:t:vVw:Z} and its long names, options overriding variables; then exactly
 * two operands, SOURCE and DEST. Values are taken as sbcast takes them: atoi for the fan-out and timeout (0 when not
 * a number), a block size with k or m, a compression library of lz4, zlib or none (another is an error line and no
 * compression). What Cadre cannot do ({@code -w}, {@code -Z}, {@code --send-libs}) is refused by name.
 *
 * @param source SOURCE as given
 * @param destination DEST made absolute as sbcast makes it: against the current directory unless it starts with '/'
 * @param compress the library asked for ("lz4", "zlib"), or null for none: Cadre sends the file as it is either way
 * @param exclude --exclude's paths (for --send-libs, which Cadre does not do), or null
 * @param fanout how many nodes are copied to at once; 0 for sbcast's default
 * @param blockSize -s in bytes, 0 for the default: the relay sends 64 KiB frames whatever it is
 * @param timeoutSeconds -t: how long a node's copy may make no progress; 0 for no limit
 * @param jobId -j's value, or null for the job of the environment
 * @param warnings sbcast's error lines for values it ignores, for stderr
 * @param help the text to print instead of copying (--help, --usage, -V), or null
 */
public record SbcastCommandLine(String source, String destination, String compress, String exclude, int fanout,
        boolean force, boolean preserve, long blockSize, int timeoutSeconds, String jobId, int verbose,
        List<String> warnings, String help) implements CommandOptions.WithHelp {

    public static final String USAGE = "Usage: sbcast [--exclude] [-CfFjpvV] [--send-libs] SOURCE DEST\n";
    public static final String HELP = """
            Usage: sbcast [OPTIONS] SOURCE DEST
              -C, --compress[=lib]  compress the file being transmitted
              --exclude=<path_list> shared object paths to be excluded
              -f, --force           replace destination file as required
              --treewidth=num       specify message treewidth
              -j, --jobid=#[+#][.#] specify job ID with optional hetjob offset and/or step ID
              -p, --preserve        preserve modes and times of source file
              --send-libs[=yes|no]  autodetect and broadcast executable's shared objects
              -s, --size=num        block size in bytes (rounded off)
              -t, --timeout=secs    specify message timeout (seconds)
              -v, --verbose         provide detailed event logging
              -V, --version         print version information and exit

            Help options:
              --help                show this help message
              --usage               display brief usage message
            """;

    private static final Getopt GETOPT = new Getopt("sbcast", List.of(
            Getopt.Option.optional("compress", 'C'),
            Getopt.Option.value("exclude", (char) 0),
            Getopt.Option.value("fanout", 'F'),
            Getopt.Option.value("fanout", (char) 0).alias("treewidth"),
            Getopt.Option.flag("force", 'f'),
            Getopt.Option.value("jobid", 'j'),
            Getopt.Option.flag("no-allocation", 'Z'),
            Getopt.Option.value("nodelist", 'w'),
            Getopt.Option.optional("send-libs", (char) 0),
            Getopt.Option.flag("preserve", 'p'),
            Getopt.Option.value("size", 's'),
            Getopt.Option.value("timeout", 't'),
            Getopt.Option.flag("verbose", 'v'),
            Getopt.Option.flag("version", 'V'),
            Getopt.Option.flag("help", (char) 0),
            Getopt.Option.flag("usage", (char) 0)));

    /**
     * @param env the SBCAST_* variables (others are ignored)
     * @param cwd the directory a relative DEST is taken against
     * @throws SlurmUsageException with sbcast's lines for a command line it refuses, exit 1
     */
    public static SbcastCommandLine parse(List<String> args, Map<String, String> env, String cwd)
            throws SlurmUsageException {
        Reading r = new Reading();
        r.fromEnvironment(env);
        Getopt.Parsed parsed = GETOPT.parse(args);
        for (Getopt.Use use : parsed.uses()) {
            String help = r.option(use.key(), use.value());
            if (help != null) {
                return new SbcastCommandLine(null, null, null, null, 0, false, false, 0, 0, null, 0, List.of(), help);
            }
        }
        List<String> names = parsed.operands();
        if (names.size() != 2) {
            throw new SlurmUsageException(List.of("Need two file names, have " + names.size() + " names",
                    "Try \"sbcast --help\" for more information"));
        }
        return new SbcastCommandLine(names.get(0), destination(names.get(1), cwd), r.compress, r.exclude, r.fanout,
                r.force, r.preserve, r.blockSize, r.timeout, r.jobId, r.verbose, List.copyOf(r.warnings), null);
    }

    /** DEST as sbcast names the file on each node: absolute as given, else under the current directory. */
    static String destination(String dest, String cwd) throws SlurmUsageException {
        String path = dest.startsWith("/") ? dest : cwd + "/" + dest;
        if (path.endsWith("/")) {
            throw new SlurmUsageException("sbcast: error: Target filename cannot be a directory.");
        }
        return path;
    }

    /** The directory the destination file goes in ("/" for a file at the root). */
    public String destinationDirectory() {
        int slash = destination.lastIndexOf('/');
        return slash == 0 ? "/" : destination.substring(0, slash);
    }

    /** The lines sbcast -v prints first (opts.c's _print_options), Cadre's meaning beside those it reads otherwise. */
    public List<String> optionLines() {
        String dashes = "sbcast: -----------------------------";
        return List.of(dashes,
                "sbcast: block_size = " + blockSize + " (Cadre's relay sends 64 KiB frames whatever it is)",
                "sbcast: compress   = " + (compress == null ? "none" : compress)
                        + " (Cadre sends the file uncompressed)",
                "sbcast: exclude    = " + (exclude == null ? "(null)" : exclude),
                "sbcast: force      = " + force,
                "sbcast: treewidth     = " + fanout + " (nodes copied to at once)",
                "sbcast: preserve   = " + preserve,
                "sbcast: send_libs  = false",
                "sbcast: timeout    = " + timeoutSeconds * 1000 + " (ms without progress a node may take)",
                "sbcast: verbose    = " + verbose,
                "sbcast: source     = " + source,
                "sbcast: dest       = " + destination,
                dashes);
    }

    /** The options as they are read, in sbcast's order. */
    private static final class Reading {
        String compress;
        String exclude;
        int fanout;
        boolean force;
        boolean preserve;
        long blockSize;
        int timeout;
        String jobId;
        int verbose;
        final List<String> warnings = new ArrayList<>();

        void fromEnvironment(Map<String, String> env) throws SlurmUsageException {
            String v;
            if ((v = env.get("SBCAST_COMPRESS")) != null) {
                compress = compressType(v);
            }
            if ((v = env.get("SBCAST_EXCLUDE")) != null) {
                exclude = v;
            }
            if ((v = env.get("SBCAST_TREE_WIDTH")) != null || (v = env.get("SBCAST_FANOUT")) != null) {
                fanout = fanout(v);
            }
            force = env.containsKey("SBCAST_FORCE");
            preserve = env.containsKey("SBCAST_PRESERVE");
            if ((v = env.get("SBCAST_SEND_LIBS")) != null) {
                sendLibs(v, "SBCAST_SEND_LIBS");
            }
            if ((v = env.get("SBCAST_SIZE")) != null) {
                blockSize = size(v);
            }
            if ((v = env.get("SBCAST_TIMEOUT")) != null) {
                timeout = SlurmNumbers.leadingInt(v);
            }
        }

        /** Takes one option; returns the text to print instead of copying, or null. */
        String option(String key, String value) throws SlurmUsageException {
            switch (key) {
                case "compress" -> compress = value == null ? "lz4" : compressType(value);
                case "exclude" -> exclude = value;
                case "fanout" -> fanout = fanout(value);
                case "force" -> force = true;
                case "jobid" -> jobId = value;
                case "preserve" -> preserve = true;
                case "send-libs" -> sendLibs(value, "--send-libs");
                case "size" -> blockSize = size(value);
                case "timeout" -> timeout = SlurmNumbers.leadingInt(value);
                case "verbose" -> verbose++;
                case "version" -> {
                    return CommandOptions.VERSION;
                }
                case "help" -> {
                    return HELP;
                }
                case "usage" -> {
                    return USAGE;
                }
                case "nodelist" -> throw new SlurmUsageException("sbcast: error: --nodelist is not supported by this"
                        + " Cadre version: sbcast reaches only the nodes of the job it runs in, through that job's"
                        + " exec relay");
                case "no-allocation" -> throw new SlurmUsageException("sbcast: error: --no-allocation is not"
                        + " supported by this Cadre version: without a job there is no exec relay to reach nodes"
                        + " through");
                default -> throw new IllegalStateException("option " + key + " has no reading");
            }
            return null;
        }

        /** parse_compress_type: lz4 (the default), zlib or none; anything else disables compression, said so. */
        private String compressType(String value) {
            if (value.equalsIgnoreCase("lz4") || value.equalsIgnoreCase("zlib")) {
                return value.toLowerCase(java.util.Locale.ROOT);
            }
            if (!value.equalsIgnoreCase("none")) {
                warnings.add("sbcast: error: Compression type '" + value
                        + "' unknown, disabling compression support.");
            }
            return null;
        }

        private static int fanout(String value) {
            // "off" is Slurm's 0xfffd: no tree, every node at once.
            return value.equalsIgnoreCase("off") ? 0xfffd : SlurmNumbers.leadingInt(value);
        }

        /** parse_send_libs: yes/y (or no value) would send libraries, which Cadre cannot; no/n is fine. */
        private void sendLibs(String value, String name) throws SlurmUsageException {
            if (value == null || value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("y")) {
                throw new SlurmUsageException("sbcast: error: " + name + " is not supported by this Cadre version:"
                        + " Cadre copies the one file named, not the libraries an executable loads");
            }
            if (!value.equalsIgnoreCase("no") && !value.equalsIgnoreCase("n")) {
                warnings.add("sbcast: error: Ignoring unrecognized " + name + " value '" + value + "'");
            }
        }

        /** _map_size: bytes, or with k or m; anything else is "invalid, ignored" (0, the default). */
        private long size(String value) {
            int end = 0;
            if (end < value.length() && (value.charAt(0) == '-' || value.charAt(0) == '+')) {
                end++;
            }
            int digits = end;
            while (end < value.length() && Character.isDigit(value.charAt(end))) {
                end++;
            }
            String rest = value.substring(end);
            long n;
            try {
                n = end == digits ? 0 : Long.parseLong(value.substring(0, end));
            } catch (NumberFormatException e) {
                n = -1;
            }
            long factor = rest.isEmpty() ? 1 : rest.startsWith("k") || rest.startsWith("K") ? 1024
                    : rest.startsWith("m") || rest.startsWith("M") ? 1024 * 1024 : -1;
            if (n < 0 || factor < 0) {
                warnings.add("size specification is invalid, ignored");
                return 0;
            }
            return n * factor;
        }
    }
}
