package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;

/**
 * seff's command line, read as its Perl Getopt::Std getopts("hvdf:") reads it: options until the first operand or
 * "--", letters bundled ("-dh"), -f's value attached or the next word (seff reads none); an unknown letter is
 * warned of ("Unknown option: x") and skipped. seff then wants exactly one operand.
 *
 * @param help -h (or --help)
 * @param version -v (or --version)
 * @param debug -d: print the figures read first
 * @param operands what follows the options
 * @param warnings Getopt::Std's lines for unknown letters, for stderr
 */
public record SeffCommandLine(boolean help, boolean version, boolean debug, List<String> operands,
        List<String> warnings) {
    public static final String VERSION = "seff Version 2.1";
    public static final String USAGE = """
            Usage: seff [Options] <Jobid>
                   Options:
                   -h    Help menu
                   -v    Version
                   -d    Debug mode: display raw Slurm data
            """;

    public static SeffCommandLine parse(List<String> args) {
        boolean help = false;
        boolean version = false;
        boolean debug = false;
        List<String> warnings = new ArrayList<>();
        int i = 0;
        while (i < args.size() && args.get(i).length() > 1 && args.get(i).charAt(0) == '-') {
            String word = args.get(i++);
            if (word.equals("--")) {
                break;
            }
            if (word.equals("--help")) {
                help = true;
                continue;
            }
            if (word.equals("--version")) {
                version = true;
                continue;
            }
            for (int c = 1; c < word.length(); c++) {
                char letter = word.charAt(c);
                if (letter == 'f') {
                    // -f takes the rest of the word or the next one, as getopts does; seff uses neither.
                    if (c == word.length() - 1 && i < args.size()) {
                        i++;
                    }
                    break;
                }
                switch (letter) {
                    case 'h' -> help = true;
                    case 'v' -> version = true;
                    case 'd' -> debug = true;
                    default -> warnings.add("Unknown option: " + letter);
                }
            }
        }
        return new SeffCommandLine(help, version, debug, List.copyOf(args.subList(i, args.size())),
                List.copyOf(warnings));
    }

    /**
     * The one job seff reports: "12", "12_3", a step of it ("12.batch": a Cadre job has that step alone), or the first
     * of a list, as seff shows the first job its query finds.
     *
     * @throws SlurmUsageException for an operand that names no job, with sacct's text for one
     */
    public static SlurmJobId job(String operand) throws SlurmUsageException {
        List<String> entries = SlurmJobId.entries(operand);
        String first = entries.isEmpty() ? operand : entries.get(0);
        int step = first.indexOf('.', Math.max(0, first.indexOf(']')));
        try {
            List<SlurmJobId> ids = SlurmJobId.ids(step < 0 ? first : first.substring(0, step));
            if (!ids.isEmpty()) {
                return ids.get(0);
            }
        } catch (IllegalArgumentException e) {
            throw new SlurmUsageException("seff: fatal: Bad job/step specified: "
                    + (e.getMessage().indexOf(':') > 0 ? e.getMessage() : first));
        }
        throw new SlurmUsageException("seff: fatal: Bad job/step specified: " + operand);
    }
}
