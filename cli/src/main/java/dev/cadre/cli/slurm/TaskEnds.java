package dev.cadre.cli.slurm;

import java.util.List;

/**
 * How srun tells the end of its step's tasks: Slurm's line for each task that did not exit 0, and srun's exit code,
 * the highest exit code of the tasks (a task killed by a signal counting as 128 + the signal, as srun's man page's
 * RETURN VALUE has it).
 */
public final class TaskEnds {
    private TaskEnds() {
    }

    /** Slurm's words for how a task ended: an exit code, or the signal that ended it. */
    public static String describe(int code) {
        if (code > 128 && code < 128 + 65) {
            return switch (code - 128) {
                case 9 -> "Killed";
                case 15 -> "Terminated";
                case 11 -> "Segmentation fault";
                case 6 -> "Aborted";
                case 2 -> "Interrupt";
                default -> "Killed by signal " + (code - 128);
            };
        }
        return "Exited with exit code " + code;
    }

    /** srun's line for a task that ended with {@code code}: {@code srun: error: HOST: task N: Exited with ...}. */
    public static String report(StepLayout.Task task, int code) {
        return "srun: error: " + task.host() + ": task " + task.procId() + ": " + describe(code);
    }

    /** srun's exit code for a step whose tasks ended with {@code codes}: the highest, 0 for none. */
    public static int stepExit(List<Integer> codes) {
        return codes.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
