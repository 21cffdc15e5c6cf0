package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Takes one task out of an array's record of pending tasks, as Slurm does: the task becomes a record of its own
 * with a new job id and the array's spec (stored by reference, not copied), and the array's record keeps the
 * rest. The last task takes the array's record itself, so the array's id stays a real job to the end.
 */
final class ArraySplits {
    private ArraySplits() {
    }

    /** Splits off the lowest pending task of the array's record, ready to start. */
    static JobRecord next(JobRecord array, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        return split(array, array.array().pending().min(), ids, d, jobs, now);
    }

    /** Splits off the given pending task; the caller has checked that the record holds it. */
    static JobRecord split(JobRecord array, int taskId, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        ArrayIndexes pending = array.array().pending();
        long arrayId = array.array().arrayJobId();
        if (pending.count() == 1) {
            JobRecord last = array.withArray(new ArrayPart(arrayId, taskId, null));
            jobs.put(last);
            d.change(new JobChange(last, array.state(), now, null));
            return last;
        }
        ArrayIndexes rest = taskId == pending.min() ? pending.withoutFirst() : pending.without(taskId);
        JobRecord kept = array.withArray(new ArrayPart(arrayId, null, rest));
        jobs.put(kept);
        d.change(new JobChange(kept, JobState.PENDING, now, null));
        JobRecord task = array.splitTask(ids.getAsLong(), taskId);
        jobs.put(task);
        d.insert(task);
        return task;
    }
}
