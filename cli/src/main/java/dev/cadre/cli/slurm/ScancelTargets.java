package dev.cadre.cli.slurm;

import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.JobState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;

/**
 * The ids scancel acts on when filters are given, out of the jobs the REST API found for the ids named (or every
 * job not ended, when none is named). As in Slurm the filters only narrow: a task named stays that one task,
 * although the API answers "12_3" with the record that holds every pending task of array 12.
 */
public final class ScancelTargets {
    private ScancelTargets() {
    }

    public static List<String> of(ScancelOptions o, List<SqueueJob> found) {
        Set<String> ids = new LinkedHashSet<>();
        Set<Long> wholeArrays = new HashSet<>();
        for (SqueueJob job : found) {
            if (!o.selects(job)) {
                continue;
            }
            if (!job.isPendingTasks()) {
                ids.add(job.displayId());
                continue;
            }
            long array = job.arrayJobId();
            if (o.jobs().isEmpty() || o.jobs().contains(new SlurmJobId(array, null))) {
                if (o.states() != null && !o.states().contains(JobState.RUNNING)) {
                    // Only pending tasks may go, so the array's id, which reaches its running tasks too, may not.
                    PrimitiveIterator.OfInt tasks = ArrayIndexes.parseStored(job.arrayPending()).ids();
                    while (tasks.hasNext()) {
                        ids.add(array + "_" + tasks.nextInt());
                    }
                } else {
                    ids.add(Long.toString(array));
                    wholeArrays.add(array);
                }
            } else {
                ArrayIndexes pending = ArrayIndexes.parseStored(job.arrayPending());
                for (SlurmJobId named : o.jobs()) {
                    if (named.jobId() == array && named.taskId() != null && pending.contains(named.taskId())) {
                        ids.add(named.toString());
                    }
                }
            }
        }
        // The array's id reaches each of its tasks; naming one besides would cancel it twice, the second refused.
        if (!wholeArrays.isEmpty()) {
            ids.removeIf(id -> id.indexOf('_') > 0
                    && wholeArrays.contains(Long.parseLong(id.substring(0, id.indexOf('_')))));
        }
        return new ArrayList<>(ids);
    }
}
