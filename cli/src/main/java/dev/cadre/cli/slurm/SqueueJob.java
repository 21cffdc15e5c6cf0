package dev.cadre.cli.slurm;

import dev.cadre.cli.wire.Json;
import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobState;
import java.time.Instant;
import java.util.List;

/**
 * One line of squeue: a job, an array task, or an array's pending tasks together, as the REST API lists them.
 *
 * @param displayId Slurm's job id text: "12", "12_3", or "12_[4-99%4]" for an array's pending tasks
 * @param arrayJobId the array's id for a task or the pending tasks, else null
 * @param arrayTaskId the task's id, null for a job or the pending tasks
 * @param arrayPending the pending task ids ("4-99"), on the record that stands for them
 * @param arrayThrottle the array's %limit, or null
 * @param nodeList the hosts of the current or last run, comma-separated
 * @param timeLimitSeconds null means no limit
 * @param priority the job's priority as scontrol shows it ({@link ScontrolJobFormat#priority}): 0 while held, a
 *        fixed one, or what the scheduler computes from its age and nice value
 * @param dependency what is left of a pending job's dependency in Slurm's form ({@link
 *        ScontrolJobFormat#dependency}), squeue's %E; (null) when nothing is
 * @param minMemoryMb squeue's MIN_MEMORY: --mem-per-cpu, else --mem (per node), else null for none
 * @param schedNodes squeue's SCHEDNODES: the hosts a pending job is planned on (the head's start forecast), else
 *        null
 * @param suspendTime when the current attempt was last suspended or resumed, null when never
 * @param suspendedMillis how long it spent suspended before its last resume (the REST API's fields)
 * @param deadline its --deadline, squeue's DEADLINE; null without one
 * @param reservation the advance reservation it runs in, squeue's RESERVATION (%v) and what -R matches; null
 *        for none
 * @param partition its partition, or the list it may start in while pending (squeue's %P, what -p matches); null
 *        from a head older than partitions: the default, batch
 */
public record SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
        Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
        int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
        Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
        String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb, String schedNodes,
        Instant suspendTime, long suspendedMillis, Instant deadline, String reservation, String partition) {

    /** The partition of a job from a head older than partitions: Cadre's one then. */
    public static final String PARTITION = "batch";

    /** A job of the default partition. */
    public SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
            Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
            int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
            Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
            String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb, String schedNodes,
            Instant suspendTime, long suspendedMillis, Instant deadline, String reservation) {
        this(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state, reason, nodes,
                tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime, exitCode,
                signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, schedNodes, suspendTime,
                suspendedMillis, deadline, reservation, null);
    }

    /** Its partition's name, or its list's, as squeue prints it. */
    public String partitionName() {
        return partition == null ? PARTITION : partition;
    }

    /** A job in no reservation. */
    public SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
            Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
            int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
            Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
            String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb, String schedNodes,
            Instant suspendTime, long suspendedMillis, Instant deadline) {
        this(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state, reason, nodes,
                tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime, exitCode,
                signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, schedNodes, suspendTime,
                suspendedMillis, deadline, null);
    }

    /** A job not planned by a start forecast. */
    public SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
            Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
            int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
            Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
            String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb) {
        this(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state, reason, nodes,
                tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime, exitCode,
                signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, null);
    }

    /** A job never suspended. */
    public SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
            Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
            int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
            Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
            String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb, String schedNodes) {
        this(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state, reason, nodes,
                tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime, exitCode,
                signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, schedNodes, null, 0);
    }

    /** A job without a deadline. */
    public SqueueJob(long id, String displayId, Long arrayJobId, Integer arrayTaskId, String arrayPending,
            Integer arrayThrottle, String name, String user, JobState state, String reason, int nodes, int tasks,
            int cpus, String nodeList, Long timeLimitSeconds, Instant submitTime, Instant eligibleTime,
            Instant startTime, Instant endTime, Integer exitCode, Integer signal, int nice, Long priority,
            String dependency, boolean requeue, String workDir, int attempt, Long minMemoryMb, String schedNodes,
            Instant suspendTime, long suspendedMillis) {
        this(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state, reason, nodes,
                tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime, exitCode,
                signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, schedNodes, suspendTime,
                suspendedMillis, null);
    }

    /** A job as GET /api/jobs describes it, for callers that do not read its priority, whose age is then left out. */
    public static SqueueJob of(Json j) {
        return of(j, time(j, "submitTime"));
    }

    /**
     * A job as GET /api/jobs describes it, its priority as at {@code now}; fields an older head leaves out read as
     * absent.
     */
    public static SqueueJob of(Json j, Instant now) {
        return new SqueueJob(j.path("id").asLong(), j.path("displayId").asText(j.path("id").asText()),
                j.hasNonNull("arrayJobId") ? j.path("arrayJobId").asLong() : null,
                j.hasNonNull("arrayTaskId") ? j.path("arrayTaskId").asInt() : null,
                j.path("arrayPending").asText(null),
                j.hasNonNull("arrayThrottle") ? j.path("arrayThrottle").asInt() : null,
                j.path("name").asText(""), j.path("user").asText(""), JobState.valueOf(j.path("state").asText()),
                j.path("reason").asText(null), j.path("nodes").asInt(), j.path("tasks").asInt(1),
                j.path("cpus").asInt(), j.path("nodeList").asText(null),
                j.hasNonNull("timeLimitSeconds") ? j.path("timeLimitSeconds").asLong() : null, time(j, "submitTime"),
                time(j, "eligibleTime"), time(j, "startTime"), time(j, "endTime"),
                j.hasNonNull("exitCode") ? j.path("exitCode").asInt() : null,
                j.hasNonNull("signal") ? j.path("signal").asInt() : null, j.path("nice").asInt(0),
                ScontrolJobFormat.priority(j, now), ScontrolJobFormat.dependency(j),
                j.path("requeue").asBoolean(true), j.path("workDir").asText(""), j.path("attempt").asInt(),
                j.hasNonNull("memoryPerCpuMb") ? Long.valueOf(j.path("memoryPerCpuMb").asLong())
                        : j.hasNonNull("memoryMb") ? Long.valueOf(j.path("memoryMb").asLong()) : null, null,
                time(j, "suspendTime"), j.path("suspendedMillis").asLong(0), time(j, "deadline"),
                j.path("reservation").asText(null), j.path("partition").asText(null));
    }

    private static Instant time(Json j, String field) {
        return j.path(field).asInstant();
    }

    /** True for the record that stands for an array's tasks that have not started. */
    public boolean isPendingTasks() {
        return arrayPending != null && arrayTaskId == null;
    }

    /** The array's id for a task, else the job's own id: Slurm's %F. */
    public long arrayOrJobId() {
        return arrayJobId != null ? arrayJobId : id;
    }

    /** squeue -r: one of the array's pending tasks, as a line of its own ("12_4"). */
    public SqueueJob task(int task) {
        return new SqueueJob(id, arrayJobId + "_" + task, arrayJobId, task, null, arrayThrottle, name, user, state,
                reason, nodes, tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, startTime, endTime,
                exitCode, signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, schedNodes,
                suspendTime, suspendedMillis, deadline, reservation, partition);
    }

    /** A pending job as the head expects it to start: its START_TIME then, its SCHEDNODES those hosts. */
    public SqueueJob expected(Instant start, String hosts) {
        return new SqueueJob(id, displayId, arrayJobId, arrayTaskId, arrayPending, arrayThrottle, name, user, state,
                reason, nodes, tasks, cpus, nodeList, timeLimitSeconds, submitTime, eligibleTime, start, endTime,
                exitCode, signal, nice, priority, dependency, requeue, workDir, attempt, minMemoryMb, hosts,
                suspendTime, suspendedMillis, deadline, reservation, partition);
    }

    /**
     * Seconds it has run: none while pending, up to now while it runs, up to its end after; the time it spent
     * suspended left out, as Slurm's squeue leaves it out (its TIME stands still while the job is suspended), by the
     * rule sacct's Elapsed and scontrol's RunTime go by ({@link ScontrolJobFormat#suspendedSeconds}).
     */
    public long elapsedSeconds(Instant now) {
        if (startTime == null || state == JobState.PENDING || state == JobState.REQUEUED) {
            return 0;
        }
        Instant end = endTime != null && !state.isActive() ? endTime : now;
        long suspended = ScontrolJobFormat.suspendedSeconds(state == JobState.SUSPENDED, suspendedMillis, suspendTime,
                end);
        return Math.max(0, end.getEpochSecond() - startTime.getEpochSecond() - suspended);
    }

    /**
     * What %R shows: "(reason)" for a job that waits, or that failed or ran out of time (its nodes are gone); the
     * nodes it holds or held otherwise. A reason's details after a colon ("NodeFail: ...") are left out.
     */
    public String nodesOrReason() {
        boolean reasonShown = state == JobState.PENDING || state == JobState.REQUEUED || state == JobState.FAILED
                || state == JobState.TIMEOUT || state == JobState.OUT_OF_MEMORY || state == JobState.DEADLINE;
        if (reasonShown) {
            return "(" + reasonName() + ")";
        }
        if (nodeList == null || nodeList.isEmpty()) {
            return "";
        }
        // One host is its own host list; HostList is only loaded (with its patterns) for several.
        return nodeList.indexOf(',') < 0 ? nodeList : HostList.compress(hosts());
    }

    /** The hosts the job holds or held, each once, in allocation order. */
    public List<String> hosts() {
        return nodeList == null || nodeList.isEmpty() ? List.of() : List.of(nodeList.split(","));
    }

    /** The reason alone, "None" when there is none: %r. */
    public String reasonName() {
        if (reason == null || reason.isEmpty()) {
            // Slurm's reasons for jobs that ended so; Cadre records none for them.
            return switch (state) {
                case FAILED -> exitCode != null && exitCode != 0 ? "NonZeroExitCode" : "None";
                case TIMEOUT -> "TimeLimit";
                case OUT_OF_MEMORY -> "OutOfMemory";
                case DEADLINE -> "DeadLine";
                default -> "None";
            };
        }
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }
}
