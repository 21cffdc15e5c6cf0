package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job's place in a job array. The array's own record (its id is the array's id) stands for every task not
 * yet started; a task that starts is split off into a record of its own, and the last one to start is the
 * array's record itself, as in Slurm. Pending tasks a task-list cancel ends leave the array's record together, in
 * one ended record of their own (a new id, taskId null, pending the tasks it ended unstarted), as the array's record
 * keeps the tasks it still held when the whole array is cancelled.
 *
 * @param arrayJobId the array's job id
 * @param taskId this record's task, or null while it stands for the pending tasks
 * @param pending the tasks not yet started, only on the array's record while any remain; on an ended record, the
 *        tasks it ended unstarted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArrayPart(long arrayJobId, Integer taskId, ArrayIndexes pending) {

    /** Slurm's job id text: "12_3" for a task, "12_[4-99%4]" for the pending rest. */
    public String displayId(String throttleSuffix) {
        if (taskId != null) {
            return arrayJobId + "_" + taskId;
        }
        return arrayJobId + "_[" + pending + throttleSuffix + "]";
    }
}
