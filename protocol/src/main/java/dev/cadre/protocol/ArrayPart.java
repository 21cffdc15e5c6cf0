package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * A job's place in a job array. The array's own record (its id is the array's id) stands for every task not
 * yet started; a task that starts is split off into a record of its own, and the last one to start is the
 * array's record itself, as in Slurm. Pending tasks a task-list hold, release or update names leave the record that
 * held them together, in one part of the array (a new id, taskId null, pending the tasks it holds) that changes and
 * waits as a whole, and from which tasks start as from the array's record, the last taking the part itself. Pending
 * tasks a task-list cancel ends leave it likewise, in one ended part, as the array's record keeps the tasks it still
 * held when the whole array is cancelled.
 *
 * @param arrayJobId the array's job id
 * @param taskId this record's task, or null while it stands for pending tasks
 * @param pending the tasks not yet started, on the array's record and on its parts while any remain; on an ended
 *        record, the tasks it ended unstarted; read from a message as an answer's sets are, as long as the message
 *        may be: after task-list holds it can be far longer than a request's list
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArrayPart(long arrayJobId, Integer taskId,
        @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes pending) {

    /** Slurm's job id text: "12_3" for a task, "12_[4-99%4]" for the pending rest. */
    public String displayId(String throttleSuffix) {
        if (taskId != null) {
            return arrayJobId + "_" + taskId;
        }
        return arrayJobId + "_[" + pending + throttleSuffix + "]";
    }
}
