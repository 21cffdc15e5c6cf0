package dev.cadre.protocol;

import java.time.Instant;
import java.util.List;

/** What the scheduler publishes on the multicast address {@link Destinations#EVENTS}. */
public sealed interface JobEvent extends Message {

    /**
     * @param previous null for a new job
     * @param exitCode the job's exit code once it has ended, else null
     * @param signal the signal that ended it, else null
     * @param arrayJobId the array a task, part or array's own record belongs to, else null
     * @param arrayTaskId the task the record runs (squeue's 12_3), null while it stands for pending tasks
     * @param cancelledBy the user the cancel-job this change carries out named ({@link JobChange#cancelledBy}): on a
     *        pending job's CANCELLED, a running one's COMPLETING for the kill, and the CANCELLED that kill ends in;
     *        null for every other change and for a cancel that named nobody (the scheduler's own). A user name by
     *        the cancel-job's rule ({@link JobSpecValidator#isUserName}), checked here so that a watcher printing it
     *        never prints a line break or a terminal escape that a sender slipped in
     */
    record JobStateChanged(long jobId, JobState previous, JobState state, String reason, Instant time, int attempt,
            String user, String name, Integer exitCode, Integer signal, Long arrayJobId, Integer arrayTaskId,
            String cancelledBy) implements JobEvent {
        public JobStateChanged {
            if (cancelledBy != null && !JobSpecValidator.isUserName(cancelledBy)) {
                throw new IllegalArgumentException("cancelledBy " + JobSpecValidator.USER_RULE + " (at most 64)");
            }
        }

        /** The event of a change that carries out no named cancel. */
        public JobStateChanged(long jobId, JobState previous, JobState state, String reason, Instant time,
                int attempt, String user, String name, Integer exitCode, Integer signal, Long arrayJobId,
                Integer arrayTaskId) {
            this(jobId, previous, state, reason, time, attempt, user, name, exitCode, signal, arrayJobId, arrayTaskId,
                    null);
        }

        /** The event of a job that is no array's. */
        public JobStateChanged(long jobId, JobState previous, JobState state, String reason, Instant time,
                int attempt, String user, String name, Integer exitCode, Integer signal) {
            this(jobId, previous, state, reason, time, attempt, user, name, exitCode, signal, null, null, null);
        }
    }

    /**
     * A job's record changed while its state did not: a hold or release, an scontrol update (time limit, priority,
     * nice, name, begin time, dependency, array throttle, deadline), or a running job's new time limit or throttle. Not kept in
     * an outbox like {@link JobStateChanged}: the jobs table is the truth to read again after a head restart.
     *
     * @param reason why it waits, as squeue shows it at once (JobHeldUser after a hold, None after a release)
     * @param hold {@code user} or {@code admin} while held, else null
     * @param timeLimitSeconds the job's limit (spec.timeLimitSeconds), null for none
     * @param priority the fixed priority (spec.priority), null when it is computed
     * @param arrayJobId as in {@link JobStateChanged}
     * @param beginTime spec.beginTime, null for none
     * @param dependency spec.dependency, null for none
     * @param arrayTaskThrottle for a record of an array, the array's throttle (0 for none); else null
     * @param deadline spec.deadline, null for none
     * @param mailType spec.mailType, null for none (absent from schedulers before it)
     * @param mailUser spec.mailUser, null for the job's user
     */
    record JobUpdated(long jobId, String user, String name, JobState state, String reason, String hold,
            Long timeLimitSeconds, Long priority, Integer nice, Instant time, Long arrayJobId, Integer arrayTaskId,
            Instant beginTime, String dependency, Integer arrayTaskThrottle, Instant deadline, List<String> mailType,
            String mailUser) implements JobEvent {
        public JobUpdated {
            mailType = mailType == null ? null : NullKeepingCopies.of(mailType);
        }

        public JobUpdated(long jobId, String user, String name, JobState state, String reason, String hold,
                Long timeLimitSeconds, Long priority, Integer nice, Instant time, Long arrayJobId,
                Integer arrayTaskId) {
            this(jobId, user, name, state, reason, hold, timeLimitSeconds, priority, nice, time, arrayJobId,
                    arrayTaskId, null, null, null, null);
        }

        /** Without the mail fields, as a scheduler before them sent it. */
        public JobUpdated(long jobId, String user, String name, JobState state, String reason, String hold,
                Long timeLimitSeconds, Long priority, Integer nice, Instant time, Long arrayJobId,
                Integer arrayTaskId, Instant beginTime, String dependency, Integer arrayTaskThrottle,
                Instant deadline) {
            this(jobId, user, name, state, reason, hold, timeLimitSeconds, priority, nice, time, arrayJobId,
                    arrayTaskId, beginTime, dependency, arrayTaskThrottle, deadline, null, null);
        }
    }

    /**
     * A part of an array's pending tasks (a record split off by a task list, docs/protocol.md 5.5) is gone: its tasks,
     * alike again, joined the record {@code into}, and its id names nothing from now on. Not kept in an outbox.
     */
    record ArrayPartJoined(long jobId, long arrayJobId, long into, String user, Instant time) implements JobEvent {
    }

    /**
     * A node's record changed: it registered, came back UP, went DOWN, reports other resources, or was drained or
     * resumed. Not kept in an outbox like job events: the nodes table is the truth to read again after a head
     * restart.
     *
     * @param reason why it is DOWN; null while UP
     * @param drain the administrator's drain, null when the node takes jobs
     */
    record NodeStateChanged(String nodeId, String hostname, NodeRecord.NodeState state, String reason, int cores,
            long memoryMb, int gpus, Instant time, NodeRecord.Drain drain) implements JobEvent {
    }

    /**
     * An administrator deleted a DOWN node (delete-node): it is gone from the nodes table. Should its node-runner
     * start again, a {@link NodeStateChanged} announces it anew.
     */
    record NodeDeleted(String nodeId, String hostname, Instant time) implements JobEvent {
    }
}
