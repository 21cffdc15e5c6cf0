package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobSpec;
import java.util.List;

/**
 * A parsed sbatch invocation.
 *
 * @param spec the job to submit
 * @param parsable --parsable was given: print only the job id
 * @param warnings complete lines for stderr, "sbatch: warning: " included
 */
public record SbatchRequest(JobSpec spec, boolean parsable, List<String> warnings) {

    public SbatchRequest {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
