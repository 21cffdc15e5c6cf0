package dev.cadre.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The client requests that act on a job or a node: scancel, scontrol and the node requests. A client that got no
 * answer may send one again under the same requestId, and the scheduler carries it out once, answering every copy
 * with its first answer (a relative TimeLimit+=, a requeue or a release applied twice would do harm). See
 * docs/protocol.md section 7.7. Their field rules are {@link ControlRequestValidator}'s.
 */
public sealed interface ControlRequest extends ClientRequest permits ControlRequest.CancelJob,
        ControlRequest.HoldJob, ControlRequest.ReleaseJob, ControlRequest.RequeueJob, ControlRequest.UpdateJob,
        ControlRequest.SignalJob, ControlRequest.SuspendJob, ControlRequest.ResumeJob, ControlRequest.TopJobs,
        ControlRequest.DrainNode, ControlRequest.ResumeNode, ControlRequest.DeleteNode {
    /** The client's own id for this request ({@link RequestIds}), or null. */
    String requestId();

    /**
     * scancel: a job; an array's id cancels every task of it.
     *
     * @param taskId one task of the array jobId, or null
     * @param tasks several tasks of the array jobId (scancel 12_[0-2999]), cancelled in one request; null
     *        otherwise, and never with taskId. The answer says which of them did not exist.
     * @param user who asks, kept with each job the request ends (sacct's "CANCELLED by"); a user name as a job's
     *        is ({@link ControlRequestValidator#problem(CancelJob)}), or null when the client does not say
     */
    record CancelJob(long jobId, Integer taskId, ArrayIndexes tasks, String user, String requestId)
            implements ControlRequest {
        public CancelJob(long jobId) {
            this(jobId, null, null, null, null);
        }

        public CancelJob(long jobId, Integer taskId) {
            this(jobId, taskId, null, null, null);
        }

        public CancelJob(long jobId, Integer taskId, ArrayIndexes tasks) {
            this(jobId, taskId, tasks, null, null);
        }

        /** A cancel that does not say who asks. */
        public CancelJob(long jobId, Integer taskId, ArrayIndexes tasks, String requestId) {
            this(jobId, taskId, tasks, null, requestId);
        }
    }

    /**
     * scontrol hold (admin true, reason JobHeldAdmin) or uhold (JobHeldUser): a pending job is not started
     * until released.
     *
     * @param tasks several tasks of the array jobId (scontrol hold 12_[1-5,9]), held in one request, as
     *        {@link CancelJob#tasks} cancels them; null otherwise, and never with taskId
     */
    record HoldJob(long jobId, Integer taskId, ArrayIndexes tasks, boolean admin, String requestId)
            implements ControlRequest {
        public HoldJob(long jobId, Integer taskId, boolean admin, String requestId) {
            this(jobId, taskId, null, admin, requestId);
        }

        public HoldJob(long jobId, Integer taskId, boolean admin) {
            this(jobId, taskId, null, admin, null);
        }
    }

    /**
     * scontrol release: ends a hold; an administrator's hold only with admin true.
     *
     * @param tasks several tasks of the array jobId, released in one request; null otherwise, never with taskId
     */
    record ReleaseJob(long jobId, Integer taskId, ArrayIndexes tasks, boolean admin, String requestId)
            implements ControlRequest {
        public ReleaseJob(long jobId, Integer taskId, boolean admin, String requestId) {
            this(jobId, taskId, null, admin, requestId);
        }

        public ReleaseJob(long jobId, Integer taskId, boolean admin) {
            this(jobId, taskId, null, admin, null);
        }
    }

    /**
     * scontrol requeue (hold false) or requeuehold: a running job is stopped and queued again, a new attempt
     * that its attempt limit does not count against.
     *
     * @param tasks several tasks of the array jobId, requeued in one request; null otherwise, never with taskId
     */
    record RequeueJob(long jobId, Integer taskId, ArrayIndexes tasks, boolean hold, String requestId)
            implements ControlRequest {
        public RequeueJob(long jobId, Integer taskId, boolean hold, String requestId) {
            this(jobId, taskId, null, hold, requestId);
        }

        public RequeueJob(long jobId, Integer taskId, boolean hold) {
            this(jobId, taskId, null, hold, null);
        }
    }

    /**
     * scontrol update of a pending job; fields left null are kept. A running job takes only a time limit and mail
     * fields, and a running task of an array the array's throttle.
     *
     * @param priority a fixed priority, or -1 to compute it again from nice and age
     * @param timeLimitChangeSeconds seconds added to (negative: taken off) each named job's own limit, as
     *        {@code TimeLimit+=} asks: each task of an array keeps its own limit, changed by that much; null when
     *        {@code timeLimitSeconds} gives the new limit or the limit is not changed
     * @param arrayTaskThrottle the most tasks of the array jobId that may run at once (the {@code %N} of --array),
     *        0 for no limit ({@code ArrayTaskThrottle=}); only for an array's own id, pending or running
     * @param beginTime the time before which a pending job is not started ({@code StartTime=}, sbatch --begin); a
     *        past time lets it start at once
     * @param dependency a pending job's new dependency in --dependency syntax; "" removes it ({@code Dependency=})
     * @param deadline a pending job's new --deadline ({@code Deadline=}); one that has passed is refused, and one its
     *        time limit can no longer meet ends it DEADLINE at the next pass; a running job keeps its own, as in Slurm
     * @param mailType the job's new --mail-type, as {@link JobSpec#mailType} lists it ({@code MailType=}), pending or
     *        running; the time-limit shares it names are mailed again when next passed, as Slurm's are
     * @param mailUser the job's new --mail-user ({@code MailUser=}), pending or running; "" mails the job's user again
     * @param reservation the advance reservation a pending or running job is to be in ({@code ReservationName=}), as
     *        slurmctld's _update_job moves it: one that admits the job's user; "" takes the job out of its own
     */
    record UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
            Long timeLimitChangeSeconds, String requestId, Integer arrayTaskThrottle, Instant beginTime,
            String dependency, Instant deadline, List<String> mailType, String mailUser, String reservation)
            implements ControlRequest {
        public UpdateJob {
            mailType = mailType == null ? null : Collections.unmodifiableList(new ArrayList<>(mailType));
        }

        /** An update without a reservation, as before the field existed. */
        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
                Long timeLimitChangeSeconds, String requestId, Integer arrayTaskThrottle, Instant beginTime,
                String dependency, Instant deadline, List<String> mailType, String mailUser) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, timeLimitChangeSeconds, requestId,
                    arrayTaskThrottle, beginTime, dependency, deadline, mailType, mailUser, null);
        }

        /** An update without mail fields, as before they existed. */
        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
                Long timeLimitChangeSeconds, String requestId, Integer arrayTaskThrottle, Instant beginTime,
                String dependency, Instant deadline) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, timeLimitChangeSeconds, requestId,
                    arrayTaskThrottle, beginTime, dependency, deadline, null, null);
        }

        /** An update without a deadline, as before the field existed. */
        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
                Long timeLimitChangeSeconds, String requestId, Integer arrayTaskThrottle, Instant beginTime,
                String dependency) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, timeLimitChangeSeconds, requestId,
                    arrayTaskThrottle, beginTime, dependency, null);
        }

        /** An update of the fields a pending job has had since version 1 began: no throttle, begin or dependency. */
        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
                Long timeLimitChangeSeconds, String requestId) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, timeLimitChangeSeconds, requestId, null, null,
                    null);
        }

        /** An update that sets the time limit, if any, to a value. */
        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, null, null);
        }

        public UpdateJob(long jobId, Integer taskId, Long timeLimitSeconds, Long priority, Integer nice, String name,
                Long timeLimitChangeSeconds) {
            this(jobId, taskId, timeLimitSeconds, priority, nice, name, timeLimitChangeSeconds, null);
        }
    }

    /**
     * scancel --signal: a signal for a running job's processes, the batch script alone with batchOnly (scancel
     * -b); an array's id signals every running task of it.
     *
     * @param signal a signal name without SIG (USR1) or a number from 1 to 64
     */
    record SignalJob(long jobId, Integer taskId, String signal, boolean batchOnly, String requestId)
            implements ControlRequest {
        public SignalJob(long jobId, Integer taskId, String signal, boolean batchOnly) {
            this(jobId, taskId, signal, batchOnly, null);
        }
    }

    /**
     * scontrol suspend: a running job's processes are stopped (SIGSTOP) on every node of its allocation, which stays
     * its own; its time limit stops counting. An operator's request: the REST API trusts its token's holder, and
     * scontrol refuses anyone else (docs/operations.md, "Who may do what"). An array's id suspends each of its running
     * tasks.
     */
    record SuspendJob(long jobId, Integer taskId, String requestId) implements ControlRequest {
        public SuspendJob(long jobId, Integer taskId) {
            this(jobId, taskId, null);
        }
    }

    /** scontrol resume: a suspended job's processes go on (SIGCONT), its time limit counting again. */
    record ResumeJob(long jobId, Integer taskId, String requestId) implements ControlRequest {
        public ResumeJob(long jobId, Integer taskId) {
            this(jobId, taskId, null);
        }
    }

    /**
     * scontrol top: the pending jobs named move to the top of their user's pending jobs, in the order named, by
     * changes of nice (of the priority itself for a job given a fixed one), the user's other pending jobs making way
     * so that the priorities' sum stays as it was, as slurmctld's job_set_top does (docs/protocol.md 5.5). Refused
     * as a whole, nothing changed, for a job that does not exist, for another user's job unless {@code operator},
     * and for anyone but an operator unless the head runs with --enable-user-top; a job named that is not pending
     * or is held is left out, refused only when it leaves none. Answered by {@link ClientReply.TopResult}.
     *
     * @param jobs the jobs, first to run first: a job (or an array's record of pending tasks) by its id, or an
     *        array's task by jobId and taskId; 1 to {@link ControlRequestValidator#MAX_TOP_JOBS}
     * @param user who asks, a user name as a job's is ({@link JobSpecValidator#isUserName})
     * @param operator the asker is an operator (root or the head's owner), as scontrol judges it: the REST API
     *        trusts its token's holder (docs/operations.md, "Who may do what")
     */
    record TopJobs(List<Target> jobs, String user, boolean operator, String requestId) implements ControlRequest {
        public TopJobs {
            jobs = jobs == null ? null : Collections.unmodifiableList(new ArrayList<>(jobs));
        }

        public TopJobs(List<Target> jobs, String user, boolean operator) {
            this(jobs, user, operator, null);
        }

        /** One job named: taskId null for a job or an array's record, else the array jobId's task. */
        public record Target(long jobId, Integer taskId) {
            @Override
            public String toString() {
                return jobId + (taskId == null ? "" : "_" + taskId);
            }
        }
    }

    /**
     * scontrol update NodeName=N State=DRAIN Reason=R: no new job is placed on the node until it is resumed;
     * jobs running there finish. Draining a drained node replaces its reason.
     *
     * @param node the node's id or host name
     * @param reason why, free text held to {@link ControlRequestValidator#drainReasonProblem}
     * @param user who asks, recorded with the drain
     */
    record DrainNode(String node, String reason, String user, String requestId) implements ControlRequest {
        public DrainNode(String node, String reason, String user) {
            this(node, reason, user, null);
        }
    }

    /** scontrol update NodeName=N State=RESUME: a drained node takes jobs again. */
    record ResumeNode(String node, String user, String requestId) implements ControlRequest {
        public ResumeNode(String node, String user) {
            this(node, user, null);
        }
    }

    /**
     * scontrol delete NodeName=N: the scheduler forgets a node that is DOWN and holds no job, as if it had never
     * registered (a machine retired, or a state directory moved so that the node came back under a new id). A host
     * name forgets every DOWN node of that name; an UP one of the name stays. Should the node-runner start again, it
     * registers anew.
     *
     * @param node the node's id or host name
     * @param user who asks, for the scheduler's log
     */
    record DeleteNode(String node, String user, String requestId) implements ControlRequest {
        public DeleteNode(String node, String user) {
            this(node, user, null);
        }
    }
}
