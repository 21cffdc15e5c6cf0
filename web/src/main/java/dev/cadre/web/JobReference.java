package dev.cadre.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job as a request names it, in Slurm's words: "12" is job 12 or, for an array, every task of it; "12_3" is
 * task 3 of array 12, whatever job id the task was given when it was split off.
 *
 * @param taskId null when the whole job (or array) is meant
 */
record JobReference(long jobId, Integer taskId) {
    /** The text as it may stand in a path; task ids have at most 7 digits (ArrayIndexes.MAX_INDEX). */
    static final String SYNTAX = "\\d{1,18}(?:_\\d{1,7})?";
    private static final Pattern TEXT = Pattern.compile("(\\d{1,18})(?:_(\\d{1,7}))?");

    static Optional<JobReference> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new JobReference(Long.parseLong(m.group(1)),
                m.group(2) == null ? null : Integer.valueOf(m.group(2))));
    }

    JobReference withTask(Integer task) {
        return new JobReference(jobId, task);
    }

    @Override
    public String toString() {
        return taskId == null ? Long.toString(jobId) : jobId + "_" + taskId;
    }
}
