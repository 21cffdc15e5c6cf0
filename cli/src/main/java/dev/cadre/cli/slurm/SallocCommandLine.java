package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * salloc's command line: sbatch's allocation options (salloc's are the same: -N -n -c --mem -t -J -w -x -G -D
 * --exclusive --begin -d -H ...), then the command, read as getopt reads salloc's (scanning stops at the first word
 * that is no option). The options sbatch has and salloc lacks (a job's files, arrays, --wrap, --wait) are refused
 * as salloc refuses an option it does not know. -I/--immediate[=seconds], salloc's own, is taken out of the words
 * before sbatch's parser reads them.
 *
 * @param allocation the option words, for sbatch's parser
 * @param command the command and its arguments; empty when none was given (salloc then runs a shell)
 * @param help text to print instead of running, else null
 * @param immediate -I's seconds (1 without a value), else null: also for -I0, which Slurm takes as no limit
 * @param immediateGiven whether -I was on the command line, which wins over SALLOC_IMMEDIATE
 */
public record SallocCommandLine(List<String> allocation, List<String> command, String help, Integer immediate,
        boolean immediateGiven) {
    public static final String USAGE = """
            Usage: salloc [-N numnodes|[min nodes]-[max nodes]] [-n num-processors] [-c cpus-per-task]
                          [--ntasks-per-node=n] [-J jobname] [-t minutes] [-w hosts] [-x hosts] [-D path]
                          [--mem=MB] [--mem-per-cpu=MB] [-G gpus] [--exclusive] [-H] [-d dependency]
                          [--begin=time] [--nice[=value]] [--priority=value] [--signal=[B:]num[@time]]
                          [-I[secs]] [command [args...]]
            Cadre runs the command on the allocation's first node, as Slurm's use_interactive_step does, with its
            output shown here; srun and mpirun in it use the allocation.
            """;
    /** salloc's input variable for -I (src/salloc/opt.c). */
    static final String IMMEDIATE_VARIABLE = "SALLOC_IMMEDIATE";
    /** sbatch's options salloc has not: its job's own files and arrays, and what only a batch script means. */
    static final Set<String> NOT_SALLOCS = Set.of("array", "wrap", "output", "error", "input", "open-mode",
            "parsable", "wait", "export-file", "ignore-pbs", "requeue", "no-requeue", "test-only");

    public static SallocCommandLine parse(List<String> given) throws SlurmUsageException {
        SallocImmediate immediate = SallocImmediate.takeOut(given);
        List<String> words = immediate.rest();
        SbatchArgv.Scanned scanned;
        try {
            scanned = SbatchArgv.scan(words);
        } catch (SlurmUsageException e) {
            throw asSalloc(e);
        }
        for (SbatchArgv.Use use : scanned.options()) {
            String name = use.option().longName();
            if (name.equals("help") || name.equals("usage")) {
                return new SallocCommandLine(List.of(), List.of(), USAGE, null, false);
            }
            if (name.equals("version")) {
                return new SallocCommandLine(List.of(), List.of(), CommandOptions.VERSION, null, false);
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
        Integer seconds = immediate.given() ? SrunScheduling.immediateSeconds(immediate.value(), "salloc: error: ")
                : null;
        return new SallocCommandLine(List.copyOf(allocation), scanned.operands(), null, seconds, immediate.given());
    }

    /**
     * -I's seconds: the command line's, else SALLOC_IMMEDIATE's (empty: -I without a value), else null.
     *
     * @throws SlurmUsageException when SALLOC_IMMEDIATE is no number, as Slurm's parse_int says it
     */
    public Integer immediateSeconds(Map<String, String> env) throws SlurmUsageException {
        String variable = env.get(IMMEDIATE_VARIABLE);
        if (immediateGiven || variable == null) {
            return immediate;
        }
        return SrunScheduling.immediateSeconds(variable.isEmpty() ? null : variable, "salloc: error: ");
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
