package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * salloc's command line: sbatch's allocation options (salloc's are the same: -N -n -c --mem -t -J -w -x -G -D
 * --exclusive --begin -d -H ...), then the command, read as getopt reads salloc's (scanning stops at the first word
 * that is no option). The options sbatch has and salloc lacks (a job's files, arrays, --wrap, --wait) are refused
 * as salloc refuses an option it does not know.
 *
 * @param allocation the option words, for sbatch's parser
 * @param command the command and its arguments; empty when none was given (salloc then runs a shell)
 * @param help text to print instead of running, else null
 */
public record SallocCommandLine(List<String> allocation, List<String> command, String help) {
    public static final String USAGE = """
            Usage: salloc [-N numnodes|[min nodes]-[max nodes]] [-n num-processors] [-c cpus-per-task]
                          [--ntasks-per-node=n] [-J jobname] [-t minutes] [-w hosts] [-x hosts] [-D path]
                          [--mem=MB] [--mem-per-cpu=MB] [-G gpus] [--exclusive] [-H] [-d dependency]
                          [--begin=time] [command [args...]]
            Cadre runs the command on the allocation's first node, as Slurm's use_interactive_step does, with its
            output shown here; srun and mpirun in it use the allocation.
            """;
    /** sbatch's options salloc has not: its job's own files and arrays, and what only a batch script means. */
    private static final Set<String> NOT_SALLOCS = Set.of("array", "wrap", "output", "error", "input", "open-mode",
            "parsable", "wait", "export-file", "ignore-pbs", "requeue", "no-requeue", "test-only");

    public static SallocCommandLine parse(List<String> words) throws SlurmUsageException {
        SbatchArgv.Scanned scanned;
        try {
            scanned = SbatchArgv.scan(words);
        } catch (SlurmUsageException e) {
            throw asSalloc(e);
        }
        for (SbatchArgv.Use use : scanned.options()) {
            String name = use.option().longName();
            if (name.equals("help") || name.equals("usage")) {
                return new SallocCommandLine(List.of(), List.of(), USAGE);
            }
            if (name.equals("version")) {
                return new SallocCommandLine(List.of(), List.of(), CommandOptions.VERSION);
            }
            if (NOT_SALLOCS.contains(name)) {
                throw new SlurmUsageException(List.of("salloc: unrecognized option '" + use.option().spelled() + "'",
                        "Try \"salloc --help\" for more information"));
            }
        }
        int cut = words.size() - scanned.operands().size();
        List<String> allocation = new ArrayList<>(words.subList(0, cut));
        if (!allocation.isEmpty() && allocation.get(allocation.size() - 1).equals("--")) {
            allocation.remove(allocation.size() - 1);
        }
        return new SallocCommandLine(List.copyOf(allocation), scanned.operands(), null);
    }

    /** sbatch's parser's complaint, in salloc's name. */
    private static SlurmUsageException asSalloc(SlurmUsageException e) {
        List<String> lines = new ArrayList<>();
        for (String line : e.lines()) {
            lines.add(line.equals(SbatchCommandLine.TRY_HELP) ? "Try \"salloc --help\" for more information"
                    : line.startsWith("sbatch: ") ? "salloc: " + line.substring("sbatch: ".length())
                    : "salloc: " + line);
        }
        return new SlurmUsageException(lines);
    }
}
