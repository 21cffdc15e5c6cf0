package dev.cadre.scheduler.core;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Clock;
import java.util.BitSet;
import java.util.PrimitiveIterator;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * scancel 12_[0-2999]: the listed tasks of one array cancelled in one decision, as Slurm does in one RPC, where a
 * request per task took seconds for thousands. Pending tasks still in the array's record are split off and end
 * CANCELLED on their own; split-off pending tasks end too; running ones are killed. Tasks that do not exist or have
 * ended are answered as one list, so that scancel reports them a range per line.
 */
final class TaskListCancel {
    private final Clock clock;
    private final JobTable jobs;
    private final JobEndings endings;
    private final LongSupplier ids;
    private final BiFunction<JobRecord, JobState, Decisions> stop;

    TaskListCancel(Clock clock, JobTable jobs, JobEndings endings, LongSupplier ids,
            BiFunction<JobRecord, JobState, Decisions> stop) {
        this.clock = clock;
        this.jobs = jobs;
        this.endings = endings;
        this.ids = ids;
        this.stop = stop;
    }

    JobControl.Outcome<ClientReply.CancelResult> cancel(long arrayId, ArrayIndexes tasks) {
        Decisions d = new Decisions();
        BitSet cancelled = new BitSet();
        BitSet missing = new BitSet();
        boolean stopping = false;
        for (PrimitiveIterator.OfInt each = tasks.ids(); each.hasNext();) {
            int task = each.nextInt();
            JobRecord array = jobs.get(arrayId);
            JobRecord j;
            if (array != null && array.array() != null && array.array().arrayJobId() == arrayId
                    && array.array().pending() != null && array.array().pending().contains(task)) {
                j = ArraySplits.split(array, task, ids, d, jobs, clock.instant());
            } else {
                j = jobs.task(arrayId, task);
            }
            if (j == null || j.state().isTerminal()) {
                missing.set(task);
                continue;
            }
            cancelled.set(task);
            switch (j.state()) {
                case PENDING, REQUEUED -> d.addAll(endings.end(jobs, j, JobState.CANCELLED, "CancelledByUser", null,
                        null, null));
                case RUNNING -> {
                    d.addAll(stop.apply(j, JobState.CANCELLED));
                    stopping = true;
                }
                default -> {
                    // Being requeued: the cancel wins, as for one task. Otherwise it is being stopped already.
                    if (j.reason().equals(JobState.REQUEUED.name())) {
                        d.addAll(stop.apply(j, JobState.CANCELLED));
                    }
                    stopping = true;
                }
            }
        }
        ArrayIndexes done = set(cancelled);
        ArrayIndexes absent = set(missing);
        String why = done == null ? "no task of job " + arrayId + "_[" + tasks + "] is pending or running" : null;
        return new JobControl.Outcome<>(d, new ClientReply.CancelResult(arrayId, done != null, done == null ? null
                : stopping ? JobState.COMPLETING : JobState.CANCELLED, why, done, absent));
    }

    private static ArrayIndexes set(BitSet ids) {
        return ids.isEmpty() ? null : ArrayIndexes.ofSorted(ids.stream().toArray());
    }
}
