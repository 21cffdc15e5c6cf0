package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a job control request is about, or the reason there are none: a job, a whole array by the array's id
 * (its own record, its parts and its tasks, in the order of their ids) or one array task.
 *
 * @param inside a pending task still inside its array's record or a part of it (the only record given), to split
 *        off before it is changed; null otherwise
 */
record RequestTargets(List<JobRecord> records, String problem, Integer inside) {
    RequestTargets(List<JobRecord> records, String problem) {
        this(records, problem, null);
    }

    static RequestTargets resolve(JobTable jobs, long jobId, Integer taskId) {
        String name = jobId + (taskId == null ? "" : "_" + taskId);
        if (taskId != null) {
            JobRecord holder = jobs.holding(jobId, taskId);
            if (holder != null) {
                return new RequestTargets(List.of(holder), null, taskId);
            }
            JobRecord task = jobs.task(jobId, taskId);
            return task != null ? new RequestTargets(List.of(task), null)
                    : new RequestTargets(List.of(), "job " + name + " is unknown or already finished");
        }
        JobRecord j = jobs.get(jobId);
        boolean wholeArray = j == null ? jobs.hasArrayParts(jobId) : j.array() != null
                && j.array().arrayJobId() == jobId;
        if (wholeArray) {
            List<JobRecord> parts = new ArrayList<>(jobs.arrayParts(jobId));
            parts.sort((a, b) -> Long.compare(a.id(), b.id()));
            return new RequestTargets(parts, null);
        }
        return j != null ? new RequestTargets(List.of(j), null)
                : new RequestTargets(List.of(), "job " + name + " is unknown or already finished");
    }
}
