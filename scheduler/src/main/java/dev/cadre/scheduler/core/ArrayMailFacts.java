package dev.cadre.scheduler.core;

import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * What {@link JobMail} asks of an array beyond one change, from the core's unfinished records, the arrays that have
 * ended records ({@link EndedJobs}) and the store ({@link JobHistory#arrayExits}).
 */
final class ArrayMailFacts implements JobMail.Arrays {
    private final JobTable jobs;
    private final EndedJobs ended;
    private final JobHistory history;

    ArrayMailFacts(JobTable jobs, EndedJobs ended, JobHistory history) {
        this.jobs = jobs;
        this.ended = ended;
        this.history = history;
    }

    @Override
    public boolean begunBefore(long arrayJobId, Instant time) {
        return jobs.arrayParts(arrayJobId).stream().anyMatch(j -> j.startTime() != null
                && j.startTime().isBefore(time)) || !ended.tasks(arrayJobId).isEmpty();
    }

    @Override
    public boolean unfinished(long arrayJobId) {
        return jobs.hasArrayParts(arrayJobId);
    }

    @Override
    public Map<JobState, JobHistory.ExitRange> ended(long arrayJobId) {
        return history.arrayExits(arrayJobId);
    }
}
