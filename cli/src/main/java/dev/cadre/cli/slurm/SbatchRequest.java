package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobSpec;
import java.util.List;

/**
 * A parsed sbatch invocation.
 *
 * @param spec the job to submit; null when {@code help} is to be printed instead
 * @param parsable --parsable was given: print only the job id
 * @param warnings complete lines for stderr, "sbatch: warning: " included
 * @param quiet -Q was given: print no warnings
 * @param waitForEnd -W was given: exit only once the job has ended, with its exit code ({@link SbatchWait})
 * @param testOnly --test-only was given: say when and where the job would start, submitting nothing
 * @param help the text --help, --usage or --version asked for, or null
 */
public record SbatchRequest(JobSpec spec, boolean parsable, List<String> warnings, boolean quiet, boolean waitForEnd,
        boolean testOnly, String help) implements CommandOptions.WithHelp {

    public SbatchRequest {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    static SbatchRequest help(String text) {
        return new SbatchRequest(null, false, List.of(), false, false, false, text);
    }
}
