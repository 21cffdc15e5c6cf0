package dev.cadre.cli.slurm;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * The script an sbatch submission runs, from --wrap, standard input or a file named on the command line, with what
 * comes with it: the job's default name, the script's arguments, the path scontrol shows as Command= (null for
 * --wrap and standard input, for which Slurm has no path either) and the options of its #SBATCH lines.
 */
record SbatchScriptSource(String text, String name, List<String> args, String path,
        List<SbatchArgv.Use> directives) {
    static final String WRAP_HEADER = "#!/bin/sh\n# This script was created by sbatch --wrap.\n\n";
    static final String STANDARD_INPUT = "(standard input)";

    /**
     * @param wrap the command line's --wrap, or null
     * @param operands the command line's words after its options: the script, then its arguments
     * @param readScript returns the text of the named script file (given null: of standard input), or throws
     *        UncheckedIOException
     * @param cwd the absolute directory sbatch runs in
     */
    static SbatchScriptSource of(String wrap, List<String> operands, Function<String, String> readScript, String cwd)
            throws SlurmUsageException {
        if (wrap != null) {
            if (!operands.isEmpty()) {
                throw new SlurmUsageException("Script arguments not permitted with --wrap option");
            }
            return new SbatchScriptSource(WRAP_HEADER + wrap + "\n", "wrap", List.of(), null, List.of());
        }
        if (operands.isEmpty()) {
            // As Slurm's: the script comes on standard input, and the job is named after sbatch.
            String script = read(readScript, null);
            BatchScript.check(script);
            return new SbatchScriptSource(script, "sbatch", List.of(), null, directiveOptions(script, STANDARD_INPUT));
        }
        String path = operands.get(0);
        String script = read(readScript, path);
        BatchScript.check(script);
        // Only shown (scontrol's Command=), never opened by the head: the text as given, after the directory.
        String shown = path.startsWith("/") ? path : cwd.endsWith("/") ? cwd + path : cwd + "/" + path;
        return new SbatchScriptSource(script, baseName(path), operands.subList(1, operands.size()), shown,
                directiveOptions(script, path));
    }

    /** @param path null for standard input */
    private static String read(Function<String, String> readScript, String path) throws SlurmUsageException {
        try {
            String text = readScript.apply(path);
            if (text == null) {
                throw new SlurmUsageException("Unable to open file " + (path == null ? STANDARD_INPUT : path));
            }
            return text;
        } catch (UncheckedIOException e) {
            throw new SlurmUsageException(path == null ? "Unable to read the batch script from standard input: "
                    + e.getCause().getMessage() : "Unable to open file " + path);
        }
    }

    private static List<SbatchArgv.Use> directiveOptions(String script, String path) throws SlurmUsageException {
        List<String> words = BatchScript.directives(script, path);
        SbatchArgv.Scanned scanned = SbatchArgv.scan(words);
        if (!scanned.operands().isEmpty()) {
            // sbatch calls exit(-1) here, so the shell sees 255.
            throw new SlurmUsageException(List.of("Invalid directive found in batch script: "
                    + scanned.operands().get(0)), 255);
        }
        return scanned.options();
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
