package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.JobState;

/**
 * How a job ended, read from its record as the REST API gives it, and what the commands that wait for it (sbatch
 * --wait, srun outside a job) exit with. One rule for both, which differ only where Slurm's do, for a job ended by
 * a signal: sbatch says 1, srun 128 plus the signal, as a shell does. Otherwise the job's exit code when it gave one
 * above 0, 0 when it completed, and 1 for every other end (cancelled, timed out or lost with its node with nothing
 * to report, or never started), so that a script's {@code cmd && next} never goes on after a job that did not run.
 *
 * @param exitCode what the job's script exited with; null when it never ran
 * @param signal what ended the script, 0 for none
 * @param why the error of its last attempt when the record lists one (why a launch failed), else the record's reason
 */
public record JobEnd(JobState state, Integer exitCode, int signal, String why) {
    public JobEnd {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a job that is still " + state + " has not ended");
        }
    }

    /** @throws IllegalArgumentException when the record has not ended */
    public static JobEnd of(Json record) {
        JobState state = JobState.valueOf(record.path("state").asText());
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("job " + record.path("displayId").asText() + " is still " + state);
        }
        Integer exit = record.hasNonNull("exitCode") ? record.get("exitCode").asInt() : null;
        String why = record.path("reason").asText("");
        Json attempts = record.path("attempts");
        if (attempts.isArray() && !attempts.isEmpty()) {
            why = attempts.path(attempts.size() - 1).path("error").asText(why);
        }
        return new JobEnd(state, exit, record.path("signal").asInt(0), why);
    }

    /** The node could not start the job's script (its working directory or output file, say): it never ran. */
    public boolean failedToStart() {
        return state == JobState.FAILED && exitCode == null && signal == 0;
    }

    /** What {@code sbatch --wait} exits with. */
    public int sbatchExit() {
        return signal != 0 ? 1 : notSignalled();
    }

    /** What srun outside a job exits with. */
    public int srunExit() {
        return signal != 0 ? 128 + signal : notSignalled();
    }

    private int notSignalled() {
        if (exitCode != null && exitCode > 0) {
            return Math.min(exitCode, 255);
        }
        return state == JobState.COMPLETED ? 0 : 1;
    }
}
