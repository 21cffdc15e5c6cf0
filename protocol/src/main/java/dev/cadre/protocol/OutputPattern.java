package dev.cadre.protocol;

import java.util.function.BiFunction;

/** Expands sbatch's filename patterns: %j %x %u %N %A %a %% (and %n, %t as 0 for the batch step). */
public final class OutputPattern {
    private OutputPattern() {
    }

    /** Slurm's NO_VAL, which %a prints for a job outside any array. */
    static final String NO_ARRAY_TASK = "4294967294";
    /** sbatch(1): "if a value greater than 10 is used the result is padding up to 10 characters". */
    static final int MAX_WIDTH = 10;

    /**
     * @param jobId the job's own id, which is a task's own id for an array task
     * @param arrayTask the array and task id when the job is one task of an array, else null; outside an array
     *        %A prints the job id, as Slurm does
     */
    public static String expand(String pattern, long jobId, ArrayPart arrayTask, String jobName, String user,
            String firstNode) {
        return expand(pattern, jobId, arrayTask, jobName, user, firstNode, (letter, width) -> null);
    }

    /**
     * As {@link #expand(String, long, ArrayPart, String, String, String)}, with letters of the caller's own (srun's
     * %t %n %s %J) tried first.
     *
     * @param own the text of a letter given its padding width (already capped), or null to leave it to sbatch's rules
     */
    public static String expand(String pattern, long jobId, ArrayPart arrayTask, String jobName, String user,
            String firstNode, BiFunction<Character, Integer, String> own) {
        long arrayId = arrayTask == null ? jobId : arrayTask.arrayJobId();
        String taskId = arrayTask == null ? NO_ARRAY_TASK : Integer.toString(arrayTask.taskId());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            // Slurm allows a zero-padding width between % and the letter, as in %5j, and pads to at most
            // MAX_WIDTH: a width such as %99999999999j must neither overflow nor ask for gigabytes of zeros.
            int j = i + 1;
            int width = 0;
            while (j < pattern.length() && pattern.charAt(j) >= '0' && pattern.charAt(j) <= '9') {
                width = Math.min(MAX_WIDTH, width * 10 + (pattern.charAt(j) - '0'));
                j++;
            }
            if (j >= pattern.length()) {
                out.append(pattern, i, j);
                break;
            }
            String mine = own.apply(pattern.charAt(j), width);
            String value = mine != null ? mine : switch (pattern.charAt(j)) {
                case 'j' -> pad(Long.toString(jobId), width);
                case 'A' -> pad(Long.toString(arrayId), width);
                case 'a' -> pad(taskId, width);
                case 'x' -> jobName;
                case 'u' -> user;
                case 'N' -> firstNode;
                case 'n', 't', 's' -> pad("0", width);
                case '%' -> "%";
                default -> null;
            };
            if (value == null) {
                out.append(pattern, i, j + 1);
            } else {
                out.append(value);
            }
            i = j;
        }
        return out.toString();
    }

    /** The value with zeros in front up to the width. */
    public static String pad(String value, int width) {
        return value.length() >= width ? value : "0".repeat(width - value.length()) + value;
    }
}
