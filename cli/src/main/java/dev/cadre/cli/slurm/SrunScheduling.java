package dev.cadre.cli.slurm;

import dev.cadre.protocol.JobSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * srun's options for when its job runs: -b/--begin, --deadline, -d/--dependency, -H/--hold, --nice[=adj],
 * --priority and --signal, read and checked as sbatch reads them ({@link SbatchScheduling}), and
 * -I/--immediate[=seconds]. Outside a job they go to the job srun submits; inside one they apply to job allocations only, as Slurm's srun man page
 * says, so a step ignores them: --begin with Slurm's srun's line, the others silently, as Slurm's srun does.
 */
public final class SrunScheduling {
    /** Passed on to the job srun submits, as sbatch words. */
    static final List<String> PASSED_ON = List.of("begin", "deadline", "dependency", "hold", "nice", "priority",
            "signal");
    /** Slurm's srun says so inside a job (src/srun/srun_job.c). */
    static final String BEGIN_IN_STEP = "srun: error: --begin is ignored because nodes are already allocated.";
    /** What -I without seconds means (Slurm's DEFAULT_IMMEDIATE). */
    static final int DEFAULT_IMMEDIATE = 1;
    private static final String SBATCH_REFUSAL = "Batch job submission failed: ";

    private SrunScheduling() {
    }

    static List<Getopt.Option> options() {
        return List.of(Getopt.Option.value("begin", 'b'), Getopt.Option.value("deadline", (char) 0),
                Getopt.Option.value("dependency", 'd'),
                Getopt.Option.flag("hold", 'H'), Getopt.Option.optional("nice", (char) 0),
                Getopt.Option.value("priority", (char) 0), Getopt.Option.value("signal", (char) 0),
                Getopt.Option.optional("immediate", 'I'));
    }

    /**
     * Checks each value as sbatch does, in srun's words.
     *
     * @param clock now and the time zone, for --begin
     * @throws SlurmUsageException sbatch's complaint, each line as srun prints it
     */
    static void check(Getopt.Parsed p, Clock clock) throws SlurmUsageException {
        JobSpec.Builder job = JobSpec.builder();
        SbatchScheduling scheduling = new SbatchScheduling(job, clock);
        try {
            for (Getopt.Use u : p.uses()) {
                if (PASSED_ON.contains(u.key())) {
                    scheduling.apply(u.key(), u.value());
                }
            }
            SbatchScheduling.checkBeginAndDeadline(job.build());
        } catch (SlurmUsageException e) {
            throw asSrun(e);
        }
    }

    /**
     * sbatch's complaint as srun prints it: "srun: error: " before each line, and the controller's refusal in
     * srun's words ("Unable to allocate resources: Job dependency problem", where sbatch says "Batch job
     * submission failed: ...").
     */
    static SlurmUsageException asSrun(SlurmUsageException e) {
        List<String> lines = new ArrayList<>();
        for (String line : e.lines()) {
            lines.add("srun: error: " + allocationRefusal(line, "Unable to allocate resources"));
        }
        return new SlurmUsageException(lines, e.exitCode());
    }

    /**
     * A line of sbatch's parser as srun or salloc words it: what sbatch says the controller refused ("Batch job
     * submission failed: X") is "REFUSED: X", as they print the controller's refusal of an allocation.
     */
    public static String allocationRefusal(String line, String refused) {
        return line.startsWith(SBATCH_REFUSAL) ? refused + ": " + line.substring(SBATCH_REFUSAL.length()) : line;
    }

    /**
     * -I's seconds: 1 without a value; null for 0, which Slurm takes as no limit.
     *
     * @throws SlurmUsageException Slurm's parse_int complaint, after {@code prefix}
     */
    static Integer immediate(Getopt.Parsed p, String prefix) throws SlurmUsageException {
        if (!p.has("immediate")) {
            return null;
        }
        return immediateSeconds(p.last("immediate"), prefix);
    }

    /** -I's value, or null for none: its seconds, null for 0. */
    static Integer immediateSeconds(String value, String prefix) throws SlurmUsageException {
        if (value == null) {
            return DEFAULT_IMMEDIATE;
        }
        try {
            int seconds = SlurmNumbers.parseInt("immediate", value, false);
            return seconds == 0 ? null : seconds;
        } catch (SlurmUsageException e) {
            throw new SlurmUsageException(prefix + e.getMessage());
        }
    }

    /** What srun says of these options inside a job, where they do nothing. */
    static List<String> stepNotes(Getopt.Parsed p) {
        return p.has("begin") ? List.of(BEGIN_IN_STEP) : List.of();
    }
}
