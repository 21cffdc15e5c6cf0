package dev.cadre.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cadre.protocol.ArrayPart;
import dev.cadre.protocol.AttemptRecord;
import dev.cadre.protocol.DependencyStatus;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the REST API lists it: what squeue, sacct, scontrol and the page show, without the script and
 * environment.
 *
 * @param displayId Slurm's job id text: "12", "12_3" for an array task, "12_[4-99%4]" for an array's pending tasks
 * @param arrayTaskId the task this record runs; null on an array's record while it stands for pending tasks
 * @param arrayPending the array's task ids not yet started ("4-99"), on the array's record only
 * @param arrayThrottle the most tasks of the array running at once, when limited
 * @param nodeList hostnames of the current (or last) attempt, comma-separated
 * @param eligibleTime not started before this time: the backoff after a node failure
 * @param priority the fixed priority the job was given, if any; null while it is computed
 * @param hold "user" or "admin" while held
 * @param requeue false when a node failure ends the job rather than queueing it again
 * @param stdout the output path pattern as given; null for Slurm's default
 * @param attempts the attempts, filled in only for a single job
 * @param spec the job spec as submitted (script and environment included), only for a single job
 * @param service the standing service this job is an instance of: ending it leads to a replacement
 * @param memoryMb the memory asked for on each node, if any (sacct's ReqMem: times the nodes)
 * @param memoryPerCpuMb --mem-per-cpu, when that gave memoryMb (sacct's ReqMem: times the CPUs, all of an exclusive
 *        job's nodes' once it has them)
 * @param exclusive true for a job on whole nodes (--exclusive, or --mem=0: all of each node's memory)
 * @param cancelledBy who cancelled the job, as the cancel-job that ended it named them (sacct's "CANCELLED by");
 *        null unless it ended CANCELLED by a request that named its user
 * @param dependencyStatus how far a pending job's dependency has come, term by term, and Slurm's text of what is left
 *        of it (scontrol's Dependency=, squeue's %E); null unless the job is pending with a dependency
 * @param suspendTime when the current attempt was last suspended or resumed (scontrol's SuspendTime); null when never
 * @param suspendedMillis how long the current attempt spent suspended before its last resume or its end (sacct's
 *        Suspended, which Elapsed leaves out); while it is SUSPENDED, the time since suspendTime adds to it; null when
 *        never suspended
 * @param deadline the time the job must end by (--deadline; scontrol's Deadline=); null for none
 * @param reservation the advance reservation the job runs in (--reservation; scontrol's Reservation=, squeue's %v
 *        and -R); null for none
 * @param partition the partition the job waits or runs in, or the list it may start in (-p; squeue's %P,
 *        scontrol's Partition=); null for a job from before partitions, which is in the default one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
        Integer arrayThrottle, String name, String user, JobState state, String reason, int attempt, int nodes,
        int tasks, int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
        Instant beginTime, Instant startTime, Instant endTime, Integer exitCode, Integer signal, Integer nice,
        Long priority, String dependency, String hold, Boolean requeue, String workDir, String stdout,
        String stderr, List<AttemptRecord> attempts, JobSpec spec, String service, Long memoryMb,
        Long memoryPerCpuMb, Boolean exclusive, String cancelledBy, DependencyStatus dependencyStatus,
        Instant suspendTime, Long suspendedMillis, Instant deadline, String reservation, String partition) {

    /** One job as GET /api/jobs/ID shows it: with its attempts and its spec. */
    public static JobSummary detail(JobRecord j, List<AttemptRecord> attempts) {
        return detail(j, attempts, null);
    }

    /** As above, with who cancelled it (null when nobody is known). */
    public static JobSummary detail(JobRecord j, List<AttemptRecord> attempts, String cancelledBy) {
        return detail(j, attempts, cancelledBy, null);
    }

    /** As above, with how far its dependency has come (null: not pending with one). */
    public static JobSummary detail(JobRecord j, List<AttemptRecord> attempts, String cancelledBy,
            DependencyStatus dependencyStatus) {
        return detail(j, attempts, cancelledBy, dependencyStatus, true);
    }

    /**
     * As above; without the environment, the spec keeps of it only the batch script's path
     * ({@link JobSpec#SCRIPT_PATH_VARIABLE}), which is what the job runs, not what it is given.
     */
    public static JobSummary detail(JobRecord j, List<AttemptRecord> attempts, String cancelledBy,
            DependencyStatus dependencyStatus, boolean environment) {
        return of(j, attempts, environment ? j.spec() : withoutEnvironment(j.spec()), cancelledBy,
                dependencyStatus);
    }

    private static JobSpec withoutEnvironment(JobSpec spec) {
        String script = spec.environment().get(JobSpec.SCRIPT_PATH_VARIABLE);
        return spec.toBuilder().environment(script == null ? Map.of()
                : Map.of(JobSpec.SCRIPT_PATH_VARIABLE, script)).build();
    }

    public static JobSummary of(JobRecord j, List<AttemptRecord> attempts) {
        return of(j, attempts, null, null, null);
    }

    /** A job as a list shows it, with who cancelled it (null when nobody is known). */
    public static JobSummary listed(JobRecord j, String cancelledBy) {
        return listed(j, cancelledBy, null);
    }

    /** As above, with how far its dependency has come (null: not pending with one). */
    public static JobSummary listed(JobRecord j, String cancelledBy, DependencyStatus dependencyStatus) {
        return of(j, null, null, cancelledBy, dependencyStatus);
    }

    /** @param shownSpec the spec to include, or null to leave it out */
    private static JobSummary of(JobRecord j, List<AttemptRecord> attempts, JobSpec shownSpec, String cancelledBy,
            DependencyStatus dependencyStatus) {
        JobSpec spec = j.spec();
        int cpus = j.allocation() != null
                ? j.allocation().nodes().stream().mapToInt(n -> n.cpus()).sum()
                : spec.taskCount() * spec.cpusPerTaskOrOne();
        String nodeList = j.allocation() != null ? j.allocation().hostnames()
                : attempts == null || attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).nodes();
        ArrayPart array = j.array();
        Integer throttle = array == null || !spec.hasArray() || spec.arraySpec().throttle() == 0 ? null
                : spec.arraySpec().throttle();
        return new JobSummary(j.id(), j.displayId(), j.arrayJobId(), j.arrayTaskId(),
                array == null || array.pending() == null ? null : array.pending().toString(), throttle, j.name(),
                j.user(), j.state(), j.reason(), j.attempt(),
                j.allocation() != null ? j.allocation().nodes().size() : spec.nodeCount(), spec.taskCount(), cpus,
                nodeList, spec.timeLimitSeconds(), j.submitTime(), j.eligibleTime(), spec.beginTime(), j.startTime(),
                j.endTime(), j.exitCode(), j.signal(), spec.nice(), spec.priority(), spec.dependency(), spec.hold(),
                spec.requeue(), spec.workDir(), spec.stdout(), spec.stderr(), attempts, shownSpec, spec.service(),
                spec.memoryMb(), spec.memoryPerCpuMb(), spec.wholeNodes() ? Boolean.TRUE : null,
                j.state() == JobState.CANCELLED ? cancelledBy : null, dependencyStatus, j.suspendTime(),
                j.suspendTime() == null ? null : j.suspendedMillis(), spec.deadline(), spec.reservation(),
                spec.partition());
    }
}
