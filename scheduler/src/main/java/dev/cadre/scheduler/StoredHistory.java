package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.ArrayIndexes;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.scheduler.core.JobHistory;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Ended jobs as SQLite holds them, for dependencies on jobs the scheduler no longer keeps in memory. */
final class StoredHistory implements JobHistory {
    private final JobStore jobs;

    StoredHistory(JobStore jobs) {
        this.jobs = jobs;
    }

    @Override
    public Optional<Ended> ended(long jobId) {
        return jobs.history().ended(jobId).map(StoredHistory::ended);
    }

    @Override
    public Map<JobState, Integer> endedTasks(long arrayJobId) {
        Map<JobState, Integer> tally = new EnumMap<>(JobState.class);
        tally.putAll(jobs.history().endedTasks(arrayJobId));
        jobs.history().unstartedParts(arrayJobId)
                .forEach(p -> tally.merge(p.state(), p.array().pending().count(), Integer::sum));
        return tally;
    }

    @Override
    public Map<JobState, ExitRange> arrayExits(long arrayJobId) {
        Map<JobState, ExitRange> out = new EnumMap<>(JobState.class);
        jobs.history().arrayExits(arrayJobId).forEach(e -> out.put(e.state(), new ExitRange(e.lowest(), e.highest())));
        return out;
    }

    @Override
    public Optional<ArrayIndexes> arrayTaskIds(long arrayJobId) {
        // A task's or part's row reads its array's spec too: only the array's own row says it is the array.
        return jobs.find(arrayJobId).filter(j -> j.array() != null && j.array().arrayJobId() == arrayJobId
                && j.spec().hasArray()).map(j -> j.spec().arraySpec().indexes());
    }

    @Override
    public Optional<ArrayPart> arrayPartOf(long jobId) {
        return jobs.find(jobId).map(JobRecord::array);
    }

    @Override
    public Optional<Ended> endedTask(long arrayJobId, int taskId) {
        return jobs.history().endedTask(arrayJobId, taskId).map(StoredHistory::ended);
    }

    @Override
    public int requeuesByRequest(long jobId) {
        return (int) jobs.history().attempts(jobId).stream().filter(a -> a.state() == JobState.REQUEUED).count();
    }

    @Override
    public Optional<AttemptRecord> attempt(long jobId, int attempt) {
        return jobs.history().attempts(jobId).stream().filter(a -> a.attempt() == attempt).findFirst();
    }

    @Override
    public Map<Long, String> killCancellers(Collection<Long> stoppingJobIds) {
        return jobs.history().killCancellers(stoppingJobIds);
    }

    /** An array's record keeps the tasks it held unstarted when it ended. */
    private static Ended ended(JobRecord j) {
        return new Ended(j.state(), j.startTime(), j.endTime(), j.array() == null ? null : j.array().pending());
    }
}
