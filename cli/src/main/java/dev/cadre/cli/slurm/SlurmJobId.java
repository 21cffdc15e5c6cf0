package dev.cadre.cli.slurm;

import dev.cadre.protocol.ArrayIndexes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.Set;

/**
 * A job id as scancel, scontrol, squeue and sacct take it: "12" (a job, or every task of array 12) or "12_3" (one
 * task of array 12). In a list, Slurm's bracketed task lists stand for one id per task: "12_[1-3,7]" is 12_1,
 * 12_2, 12_3 and 12_7 (ranges and steps as --array takes them, without a throttle).
 *
 * @param taskId null for the whole job
 */
public record SlurmJobId(long jobId, Integer taskId) {
    /** Task ids go up to 9,999,999, as Cadre's arrays allow. */
    private static final int MAX_TASK_DIGITS = 7;
    /**
     * More tasks of one array than this are asked of the REST API by the array's id, the caller keeping the
     * tasks named: one id per task would make a request line of megabytes for "12_[0-999999]".
     */
    static final int MOST_TASKS_ASKED_ONE_BY_ONE = 64;

    /** One id, "12" or "12_3"; empty for anything else (a bracketed list included). */
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

    /** A comma-separated list, empty when any entry is not a job id or a bracketed task list. */
    public static Optional<List<SlurmJobId>> parseList(String text) {
        try {
            return Optional.of(list(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A comma-separated list ("12,13_4,14_[1-3,7]"), each task of a bracketed list an id of its own.
     *
     * @throws IllegalArgumentException for the first entry that is not an id: its message is the entry, followed
     *         for a task list by what is wrong with it ("12_[3-1]: the task list '3-1' ends before it starts"), so
     *         that a plain bad id gets Slurm's text
     */
    public static List<SlurmJobId> list(String text) {
        List<SlurmJobId> ids = new ArrayList<>();
        for (String entry : entries(text)) {
            ids.addAll(ids(entry));
        }
        return ids;
    }

    /** The entries of a comma-separated list, a comma inside brackets belonging to its task list. */
    public static List<String> entries(String text) {
        List<String> entries = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                entries.add(text.substring(start, i));
                start = i + 1;
            }
        }
        entries.add(text.substring(start));
        return entries;
    }

    /**
     * One entry: "12", "12_3", or "12_[LIST]" for each task of LIST.
     *
     * @throws IllegalArgumentException as {@link #list}
     */
    public static List<SlurmJobId> ids(String entry) {
        int open = entry.indexOf("_[");
        if (open < 0) {
            if (entry.indexOf('[') >= 0 || entry.indexOf(']') >= 0) {
                throw new IllegalArgumentException(entry + ": a task list is written JOB_[LIST], as 12_[1-3,7]");
            }
            Optional<SlurmJobId> id = parse(entry);
            if (id.isEmpty()) {
                throw new IllegalArgumentException(entry);
            }
            return List.of(id.get());
        }
        Optional<SlurmJobId> job = parse(entry.substring(0, open));
        if (job.isEmpty()) {
            throw new IllegalArgumentException(entry + ": '" + entry.substring(0, open) + "' is not a job id");
        }
        if (!entry.endsWith("]")) {
            throw new IllegalArgumentException(entry + ": a task list ends the id with ']'");
        }
        String tasks = entry.substring(open + 2, entry.length() - 1);
        if (tasks.indexOf('%') >= 0) {
            throw new IllegalArgumentException(entry + ": a throttle (%N) belongs to sbatch --array, not to a job id");
        }
        ArrayIndexes indexes;
        try {
            indexes = ArrayIndexes.parse(tasks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(entry + ": the task list " + e.getMessage(), e);
        }
        List<SlurmJobId> ids = new ArrayList<>(indexes.count());
        PrimitiveIterator.OfInt each = indexes.ids();
        while (each.hasNext()) {
            ids.add(new SlurmJobId(job.get().jobId(), each.nextInt()));
        }
        return ids;
    }

    /**
     * The ids as the REST API's {@code id} parameter takes them, each once; an array named by more than
     * {@link #MOST_TASKS_ASKED_ONE_BY_ONE} of its tasks by the array's id instead, the caller keeping what was
     * named.
     */
    public static String query(List<SlurmJobId> ids) {
        Map<Long, Integer> tasksPerArray = new LinkedHashMap<>();
        for (SlurmJobId id : ids) {
            if (id.taskId() != null) {
                tasksPerArray.put(id.jobId(), tasksPerArray.getOrDefault(id.jobId(), 0) + 1);
            }
        }
        Set<String> asked = new LinkedHashSet<>();
        for (SlurmJobId id : ids) {
            boolean many = tasksPerArray.getOrDefault(id.jobId(), 0) > MOST_TASKS_ASKED_ONE_BY_ONE;
            asked.add(many ? Long.toString(id.jobId()) : id.toString());
        }
        return String.join(",", asked);
    }

    private static boolean digits(String s, int max) {
        return !s.isEmpty() && s.length() <= max && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return taskId == null ? Long.toString(jobId) : jobId + "_" + taskId;
    }
}
