package dev.cadre.protocol;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as stored: its spec and where it stands. Attempt 0 means it has never been started.
 *
 * @param reason for PENDING, why it waits (Slurm's reason names); for an end state, why it ended
 * @param allocation the current attempt's nodes, null while pending
 * @param launchConfirmed the coordinator node reported the current attempt running
 * @param eligibleTime a time in the future: a pending job is not started before it (the backoff after a node
 *        failure). Once past: when the job became eligible (released from a hold, its dependency satisfied,
 *        its backoff over), kept through its start and end for sacct's Eligible; null when it was eligible from
 *        its submission or --begin
 * @param array the job's place in a job array, or null
 * @param suspendTime when the current attempt was last suspended or resumed (Slurm's SuspendTime); null when it never
 *        was
 * @param suspendedMillis how long the current attempt spent suspended before its last resume (or its end): its
 *        time limit and its elapsed time leave it out (sacct's Suspended); a suspension under way is not in it
 */
public record JobRecord(
        long id,
        String submissionKey,
        JobSpec spec,
        JobState state,
        String reason,
        int attempt,
        Allocation allocation,
        boolean launchConfirmed,
        Integer exitCode,
        Integer signal,
        Instant submitTime,
        Instant startTime,
        Instant endTime,
        Instant eligibleTime,
        ArrayPart array,
        Instant suspendTime,
        long suspendedMillis) {

    /** Joins an array's submission key and a task id; a control character, so no client key can clash. */
    public static final String TASK_KEY_SEPARATOR = "\u001ftask ";
    /** Joins an array's submission key and the id of a part of its pending tasks ({@link #splitPart}). */
    public static final String PART_KEY_SEPARATOR = "\u001fpart ";

    /** A job that was never suspended. */
    public JobRecord(long id, String submissionKey, JobSpec spec, JobState state, String reason, int attempt,
            Allocation allocation, boolean launchConfirmed, Integer exitCode, Integer signal, Instant submitTime,
            Instant startTime, Instant endTime, Instant eligibleTime, ArrayPart array) {
        this(id, submissionKey, spec, state, reason, attempt, allocation, launchConfirmed, exitCode, signal,
                submitTime, startTime, endTime, eligibleTime, array, null, 0);
    }

    /** A job outside any array, with no backoff. */
    public JobRecord(long id, String submissionKey, JobSpec spec, JobState state, String reason, int attempt,
            Allocation allocation, boolean launchConfirmed, Integer exitCode, Integer signal, Instant submitTime,
            Instant startTime, Instant endTime) {
        this(id, submissionKey, spec, state, reason, attempt, allocation, launchConfirmed, exitCode, signal,
                submitTime, startTime, endTime, null, null);
    }

    public String name() {
        return spec.name();
    }

    public String user() {
        return spec.user();
    }

    public JobRecord withState(JobState newState, String newReason) {
        return new JobRecord(id, submissionKey, spec, newState, newReason, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime, eligibleTime, array, suspendTime,
                suspendedMillis);
    }

    public JobRecord withSpec(JobSpec newSpec) {
        return new JobRecord(id, submissionKey, newSpec, state, reason, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime, eligibleTime, array, suspendTime,
                suspendedMillis);
    }

    /** A new attempt on the given nodes. */
    public JobRecord started(int newAttempt, Allocation on, Instant now) {
        return new JobRecord(id, submissionKey, spec, JobState.RUNNING, null, newAttempt, on, false, null, null,
                submitTime, now, null, eligibleTime, array);
    }

    /** Eligible since the given time ({@code eligibleTime}). */
    public JobRecord withEligibleTime(Instant at) {
        return new JobRecord(id, submissionKey, spec, state, reason, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime, at, array, suspendTime, suspendedMillis);
    }

    public JobRecord confirmed() {
        return new JobRecord(id, submissionKey, spec, state, reason, attempt, allocation, true, exitCode, signal,
                submitTime, startTime, endTime, eligibleTime, array, suspendTime, suspendedMillis);
    }

    /** The job's end: its final state, why, and the outcome of its last attempt. */
    public JobRecord ended(JobState endState, String why, Integer exit, Integer sig, Instant now) {
        JobRecord j = leavingSuspension(now);
        return new JobRecord(id, submissionKey, spec, endState, why, attempt, allocation, launchConfirmed, exit,
                sig, submitTime, startTime, now, eligibleTime, array, j.suspendTime, j.suspendedMillis);
    }

    /** Suspended now (scontrol suspend): its processes stopped, its time limit no longer counting. */
    public JobRecord suspended(Instant now) {
        return new JobRecord(id, submissionKey, spec, JobState.SUSPENDED, null, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime, eligibleTime, array, now, suspendedMillis);
    }

    /** Running again (scontrol resume): the suspension just ended is added to {@code suspendedMillis}. */
    public JobRecord resumed(Instant now) {
        return leavingSuspension(now).withState(JobState.RUNNING, null);
    }

    /**
     * The same record with a suspension under way ended now: its length added to {@code suspendedMillis}, and now its
     * {@code suspendTime}, as Slurm's resume sets it. The state is the caller's to change; a record not suspended is
     * returned as it is.
     */
    public JobRecord leavingSuspension(Instant now) {
        if (state != JobState.SUSPENDED || suspendTime == null) {
            return this;
        }
        long more = Math.max(0, Duration.between(suspendTime, now).toMillis());
        return new JobRecord(id, submissionKey, spec, state, reason, attempt, allocation, launchConfirmed, exitCode,
                signal, submitTime, startTime, endTime, eligibleTime, array, now, suspendedMillis + more);
    }

    /** How long the current attempt has been suspended by now, a suspension under way included. */
    public Duration suspendedFor(Instant now) {
        return Duration.ofMillis(leavingSuspension(now).suspendedMillis);
    }

    /**
     * What the current attempt's time limit counts from by now: its start, later by the time it spent suspended, so
     * that a suspended job's end moves on as the clock does. Null before it starts.
     */
    public Instant limitStart(Instant now) {
        return startTime == null ? null : startTime.plus(suspendedFor(now));
    }

    /** Back in the queue after an attempt, not before the given time (null for at once). */
    public JobRecord requeued(String why, Instant notBefore) {
        return new JobRecord(id, submissionKey, spec, JobState.REQUEUED, why, attempt, null, false, null, null,
                submitTime, null, null, notBefore, array);
    }

    public JobRecord withArray(ArrayPart part) {
        return new JobRecord(id, submissionKey, spec, state, reason, attempt, allocation, launchConfirmed,
                exitCode, signal, submitTime, startTime, endTime, eligibleTime, part, suspendTime, suspendedMillis);
    }

    /**
     * A task split off this record of an array's pending tasks (the array's own or a part of them): a new id, its
     * task id, the same spec and submission. Its key is the array's with the task's id, whichever record held it.
     */
    public JobRecord splitTask(long taskJobId, int taskId) {
        return new JobRecord(taskJobId, arrayKey() + TASK_KEY_SEPARATOR + taskId, spec, JobState.PENDING, reason, 0,
                null, false, null, null, submitTime, null, null, eligibleTime, new ArrayPart(splitsFrom(), taskId,
                null));
    }

    /**
     * Pending tasks of this record split off together into a part of the array, a record that holds them as the
     * array's own record holds its pending ones (see {@link ArrayPart}): a new id, keyed by it under the array's key.
     */
    public JobRecord splitPart(long partJobId, ArrayIndexes tasks) {
        return new JobRecord(partJobId, arrayKey() + PART_KEY_SEPARATOR + partJobId, spec, JobState.PENDING, reason,
                0, null, false, null, null, submitTime, null, null, eligibleTime, new ArrayPart(splitsFrom(), null,
                tasks));
    }

    /** The array a task or part split off this record belongs to: this record's, or this record's own id. */
    private long splitsFrom() {
        return array == null ? id : array.arrayJobId();
    }

    /** The array's submission key: this record's, unless it is a part, whose key adds its own id to it. */
    private String arrayKey() {
        int cut = array != null && array.arrayJobId() != id ? submissionKey.lastIndexOf(PART_KEY_SEPARATOR) : -1;
        return cut < 0 ? submissionKey : submissionKey.substring(0, cut);
    }

    /** The array this record belongs to (a task, a part, or the array's own record), or null. */
    public Long arrayJobId() {
        return array == null ? null : array.arrayJobId();
    }

    /** The array task this record runs, or null (no array's, or standing for pending tasks). */
    public Integer arrayTaskId() {
        return array == null ? null : array.taskId();
    }

    /** Slurm's job id text: "12", "12_3", or "12_[4-99%4]" for an array's pending tasks. */
    public String displayId() {
        if (array == null) {
            return Long.toString(id);
        }
        int throttle = array.pending() == null ? 0 : spec.arraySpec().throttle();
        return array.displayId(throttle == 0 ? "" : "%" + throttle);
    }
}
