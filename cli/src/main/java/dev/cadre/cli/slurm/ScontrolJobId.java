package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.ArrayIndexes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The id of {@code scontrol show job ID}, read as scontrol's scontrol_print_job reads it, and which of the records
 * slurmctld answers for its job it shows. The text may hold only digits, '_' and '+'; then it is read as strtol
 * reads it: the job's digits (none is job 0), after a '_' the task's (none is task 0), after a '+' a heterogeneous
 * job's component, anything after ignored. Job 0 is every job (scontrol_load_job(0) loads them all); otherwise the
 * job's records are all of an array's when it names an array (pack_one_job: the record of that id, then the others,
 * most recently split off first). With a task, only the records holding the task are shown (_task_id_in_job: the
 * task's own, or one whose pending tasks include it, shown as that task), of every array for job 0 ({@code _3}).
 *
 * @param taskId null when no '_' was given
 * @param hetOffset null when no '+' was given; Cadre has no heterogeneous jobs, so no record has one
 */
public record ScontrolJobId(long jobId, Long taskId, Long hetOffset) {
    /** Past 18 digits no Cadre job id reaches; such a number is read as this. */
    private static final long BEYOND = Long.MAX_VALUE;

    /**
     * The id, or empty for what scontrol refuses before asking ("scontrol_print_job error: Invalid job id
     * specified"): a character other than a digit, '_' or '+'.
     */
    public static Optional<ScontrolJobId> parse(String text) {
        if (!text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '_' || c == '+')) {
            return Optional.empty();
        }
        int jobEnd = digitsEnd(text, 0);
        long job = number(text, 0, jobEnd);
        int at = jobEnd;
        Long task = null;
        if (at < text.length() && text.charAt(at) == '_') {
            int end = digitsEnd(text, at + 1);
            task = number(text, at + 1, end);
            at = end;
        }
        Long offset = null;
        if (at < text.length() && text.charAt(at) == '+') {
            offset = number(text, at + 1, digitsEnd(text, at + 1));
        }
        return Optional.of(new ScontrolJobId(job, task, offset));
    }

    /** Job 0, which scontrol reads as every job: {@code 0}, {@code _3} (task 3 of every array), {@code +1}. */
    public boolean everyJob() {
        return jobId == 0;
    }

    /** False for a job id no Cadre job can have: scontrol's "slurm_load_jobs error: Invalid job id specified". */
    public boolean mayExist() {
        return jobId != BEYOND;
    }

    /** False for a task id above any array's, which no record holds. */
    public boolean taskMayExist() {
        return taskId == null || taskId <= ArrayIndexes.MAX_INDEX;
    }

    /** Whether scontrol shows this record of the job (one of those GET /api/jobs/ID and the job's list give). */
    public boolean names(Json record) {
        if (hetOffset != null) {
            return false;
        }
        if (taskId == null) {
            return true;
        }
        if (record.hasNonNull("arrayTaskId")) {
            return record.get("arrayTaskId").asLong() == taskId;
        }
        String pending = record.path("arrayPending").asText(null);
        if (pending == null || !taskMayExist()) {
            return false;
        }
        try {
            return ArrayIndexes.parseStored(pending).contains(taskId.intValue());
        } catch (IllegalArgumentException e) {
            // Not a head's answer: it holds no task scontrol could name.
            return false;
        }
    }

    /** The record as scontrol shows it: a record of pending tasks named by one of them is shown as that task. */
    public Json shown(Json record) {
        return taskId != null && !record.hasNonNull("arrayTaskId") ? record.with("arrayTaskId", taskId) : record;
    }

    /** What scontrol prints on standard output when the job has no record the id names, exit code 1. */
    public String notFound() {
        return "Job " + jobId + (taskId != null ? "_" + taskId : hetOffset != null ? "+" + hetOffset : "")
                + " not found";
    }

    /**
     * The order slurmctld gives an array's records after the one of the array's id: the newest first, as each is
     * put at the head of the array's hash chain as it is made (_add_job_array_hash). Cadre gives each record an id
     * above those made before it, so that is the highest id first.
     */
    public static List<Long> splitOffOrder(Collection<Long> recordIds) {
        List<Long> ids = new ArrayList<>(recordIds);
        ids.sort(Comparator.reverseOrder());
        return ids;
    }

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        return end;
    }

    /** The digits' value (0 for none, as strtol gives), or {@link #BEYOND} past 18 digits. */
    private static long number(String text, int from, int end) {
        String digits = text.substring(from, end).replaceFirst("^0+(?=.)", "");
        return digits.isEmpty() ? 0 : digits.length() > 18 ? BEYOND : Long.parseLong(digits);
    }

    @Override
    public String toString() {
        return jobId + (taskId == null ? "" : "_" + taskId);
    }
}
