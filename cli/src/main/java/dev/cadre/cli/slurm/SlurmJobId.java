package dev.cadre.cli.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job id as scancel, scontrol and squeue take it: "12" (a job, or every task of array 12) or "12_3" (one task
 * of array 12). Slurm's bracketed task lists ("12_[1-3]") are not taken.
 *
 * @param taskId null for the whole job
 */
public record SlurmJobId(long jobId, Integer taskId) {
    /** Task ids go up to 9,999,999, as Cadre's arrays allow. */
    private static final int MAX_TASK_DIGITS = 7;

    public static Optional<SlurmJobId> parse(String text) {
        int underscore = text.indexOf('_');
        String job = underscore < 0 ? text : text.substring(0, underscore);
        String task = underscore < 0 ? null : text.substring(underscore + 1);
        if (!digits(job, 18) || (task != null && !digits(task, MAX_TASK_DIGITS))) {
            return Optional.empty();
        }
        long id = Long.parseLong(job);
        return id < 1 ? Optional.empty()
                : Optional.of(new SlurmJobId(id, task == null ? null : Integer.valueOf(task)));
    }

    /** A comma-separated list, empty when any entry is not a job id. */
    public static Optional<List<SlurmJobId>> parseList(String text) {
        List<SlurmJobId> ids = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Optional<SlurmJobId> id = parse(part);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            ids.add(id.get());
        }
        return Optional.of(ids);
    }

    private static boolean digits(String s, int max) {
        return !s.isEmpty() && s.length() <= max && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return taskId == null ? Long.toString(jobId) : jobId + "_" + taskId;
    }
}
