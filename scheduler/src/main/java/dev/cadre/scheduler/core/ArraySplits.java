package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Takes tasks out of a record of an array's pending tasks (the array's own record, or a part of them a task-list
 * hold made), as Slurm does: a task becomes a record of its own with a new job id and the array's spec (stored by
 * reference, not copied), and the record keeps the rest. The last task takes the record itself, so the array's id
 * stays a real job to the end. Listed tasks leave together, as one part.
 */
final class ArraySplits {
    private ArraySplits() {
    }

    /** Splits off the lowest pending task of the record, ready to start. */
    static JobRecord next(JobRecord holder, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        return split(holder, holder.array().pending().min(), ids, d, jobs, now);
    }

    /** Splits off the given pending task; the caller has checked that the record holds it. */
    static JobRecord split(JobRecord holder, int taskId, LongSupplier ids, Decisions d, JobTable jobs, Instant now) {
        ArrayIndexes pending = holder.array().pending();
        long arrayId = holder.array().arrayJobId();
        if (pending.count() == 1) {
            JobRecord last = holder.withArray(new ArrayPart(arrayId, taskId, null));
            jobs.put(last);
            d.change(new JobChange(last, holder.state(), now, null));
            return last;
        }
        ArrayIndexes rest = taskId == pending.min() ? pending.withoutFirst() : pending.without(taskId);
        keep(holder, rest, jobs, d, now);
        JobRecord task = holder.splitTask(ids.getAsLong(), taskId);
        jobs.put(task);
        d.insert(task);
        if (holder.id() != arrayId) {
            // A task row stores no spec and reads the array's, which a part's (held, released) may differ from.
            d.respec(task);
        }
        return task;
    }

    /**
     * Splits off some of the record's pending tasks, not all, together into a new part that holds them; it is stored
     * as is, for the caller to change, start from or end.
     */
    static JobRecord part(JobRecord holder, ArrayIndexes tasks, ArrayIndexes rest, LongSupplier ids, Decisions d,
            JobTable jobs, Instant now) {
        keep(holder, rest, jobs, d, now);
        JobRecord part = holder.splitPart(ids.getAsLong(), tasks);
        jobs.put(part);
        d.insert(part);
        if (holder.id() != holder.array().arrayJobId()) {
            d.respec(part);
        }
        return part;
    }

    private static void keep(JobRecord holder, ArrayIndexes rest, JobTable jobs, Decisions d, Instant now) {
        JobRecord kept = holder.withArray(new ArrayPart(holder.array().arrayJobId(), null, rest));
        jobs.put(kept);
        d.change(new JobChange(kept, JobState.PENDING, now, null));
    }
}
