package dev.cadre.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;

/**
 * A job as the REST API lists it: what squeue, sacct and the page show, without the script and environment.
 *
 * @param nodeList hostnames of the current (or last) attempt, comma-separated
 * @param attempts the attempts, filled in only for a single job
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(long id, String name, String user, JobState state, String reason, int attempt,
        int nodes, int tasks, int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime,
        Instant startTime, Instant endTime, Integer exitCode, Integer signal, String workDir,
        List<AttemptRecord> attempts) {

    public static JobSummary of(JobRecord j, List<AttemptRecord> attempts) {
        int cpus = j.allocation() != null
                ? j.allocation().nodes().stream().mapToInt(n -> n.cpus()).sum()
                : j.spec().taskCount() * j.spec().cpusPerTaskOrOne();
        String nodeList = j.allocation() != null ? j.allocation().hostnames()
                : attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).nodes();
        return new JobSummary(j.id(), j.name(), j.user(), j.state(), j.reason(), j.attempt(),
                j.allocation() != null ? j.allocation().nodes().size() : j.spec().nodeCount(), j.spec().taskCount(),
                cpus, nodeList, j.spec().timeLimitSeconds(), j.submitTime(), j.startTime(), j.endTime(), j.exitCode(),
                j.signal(), j.spec().workDir(), attempts);
    }
}
