package dev.cadre.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Replies the scheduler sends to a request's reply-to address, correlated by its correlation id. */
public sealed interface ClientReply extends Message {

    /**
     * Sent only once the job is committed to SQLite.
     *
     * @param duplicate true when the submission id was seen before and this is the job it created
     * @param state the job's state when the reply was sent (PENDING for a new job)
     * @param exitCode set when the job has already ended
     * @param signal set when the job has already ended by a signal
     */
    record JobAccepted(long jobId, String submissionId, boolean duplicate, JobState state, Integer exitCode,
            Integer signal) implements ClientReply {
    }

    /** @param field the field at fault, or null when the whole message is */
    record JobRejected(String submissionId, RejectionCode code, String reason, String field) implements ClientReply {
    }

    /**
     * The answer to a {@code submit-jobs} batch, sent once every accepted entry is committed.
     *
     * @param results one {@link JobAccepted} or {@link JobRejected} per entry, in the order of the entries
     */
    record JobsSubmitted(List<ClientReply> results) implements ClientReply {
        public JobsSubmitted {
            results = List.copyOf(results);
        }
    }

    /**
     * @param state the job's state after the request; ok is false for unknown or finished jobs
     * @param cancelled for a cancel-job with a task list, the tasks it cancelled or is stopping; else null
     * @param missing for a cancel-job with a task list, the tasks the array does not have; null when none was
     * @param ended for a cancel-job with a task list, the array's tasks that had already ended (Slurm: "Job/step
     *        already completing or completed"); null when none had
     * @param omitted how many tasks each set named here ("cancelled", "missing", "ended") leaves out, so that the
     *        answer stays within a message's bound: a set of a million scattered ids does not fit; null when every
     *        set is whole
     */
    record CancelResult(long jobId, boolean ok, JobState state, String reason,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes cancelled,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes missing,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes ended, Map<String, Integer> omitted)
            implements ClientReply {
        public CancelResult {
            omitted = omitted == null || omitted.isEmpty() ? null : Map.copyOf(omitted);
        }

        public CancelResult(long jobId, boolean ok, JobState state, String reason) {
            this(jobId, ok, state, reason, null, null, null, null);
        }
    }

    /**
     * The answer to hold-job, release-job, requeue-job and update-job. A request with a task list is answered for
     * each listed task, as cancel-result answers one: every task is in exactly one of changed, missing, ended and
     * refused.
     *
     * @param ok false when nothing changed; reason says why
     * @param changed for a task list, the tasks held, released or being requeued; else null
     * @param missing for a task list, the tasks the array does not have; null when none
     * @param ended for a task list, the array's tasks that had already ended; null when none
     * @param refused for a task list, the tasks not in a state the action applies to, grouped by why; null when none
     * @param omitted how many tasks each set named here ("changed", "missing", "ended") leaves out, as
     *        {@link CancelResult#omitted}; null when every set is whole
     */
    record ControlResult(long jobId, boolean ok, JobState state, String reason,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes changed,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes missing,
            @JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes ended, List<Refused> refused,
            Map<String, Integer> omitted) implements ClientReply {
        public ControlResult {
            refused = refused == null ? null : List.copyOf(refused);
            omitted = omitted == null || omitted.isEmpty() ? null : Map.copyOf(omitted);
        }

        public ControlResult(long jobId, boolean ok, JobState state, String reason) {
            this(jobId, ok, state, reason, null, null, null, null, null);
        }

        /** Whether the answer is for a task list: it says what happened to each task, whether or not ok. */
        public boolean perTask() {
            return changed != null || missing != null || ended != null || refused != null;
        }

        /**
         * Listed tasks the action was not applied to, for one reason.
         *
         * @param state their state: RUNNING for a hold, PENDING for a requeue, ...
         * @param reason why, naming them ("job 12_[3-4] is RUNNING; only pending jobs can be held")
         * @param omitted how many such tasks {@code tasks} leaves out, as {@link CancelResult#omitted}; null when none
         */
        public record Refused(@JsonDeserialize(using = AnsweredIndexes.class) ArrayIndexes tasks, JobState state,
                String reason, Integer omitted) {
            public Refused {
                omitted = omitted == null || omitted == 0 ? null : omitted;
            }

            public Refused(ArrayIndexes tasks, JobState state, String reason) {
                this(tasks, state, reason, null);
            }
        }
    }

    /**
     * The answer to drain-node, resume-node and delete-node.
     *
     * @param nodeId the node's id, null when no node has the name; for delete-node, the ids of the nodes forgotten,
     *        joined by commas (a host name forgets every DOWN node of that name)
     * @param drain the node's drain after the request, null when it is not drained
     * @param unknown no node has the name; the request changed nothing
     */
    record NodeResult(String node, boolean ok, String nodeId, NodeRecord.Drain drain, String reason,
            boolean unknown) implements ClientReply {
    }

    /**
     * The answer to create-service, update-service and delete-service; ok false says why in reason, and nothing
     * changed.
     *
     * @param code why nothing changed, for a client to branch on; null when ok
     * @param field the field at fault for {@link ServiceRefusal#INVALID_FIELD}, else null
     * @param created for a create-service answered ok: true when it made the service, false when the same service
     *        was there already (a resent create; reason then says what the service is doing); null otherwise
     */
    record ServiceResult(String name, boolean ok, String state, String reason, ServiceRefusal code, String field,
            Boolean created) implements ClientReply {
        public static ServiceResult done(String name, String state) {
            return new ServiceResult(name, true, state, null, null, null, null);
        }

        public static ServiceResult made(String name, String state) {
            return new ServiceResult(name, true, state, null, null, null, true);
        }

        /** The same create again: harmless, and said to be no creation, with what the service is doing. */
        public static ServiceResult alreadyThere(String name, String state, String reason) {
            return new ServiceResult(name, true, state, reason, null, null, false);
        }

        public static ServiceResult refused(String name, String state, ServiceRefusal code, String reason) {
            return new ServiceResult(name, false, state, reason, code, null, null);
        }

        /** Refused for these problems: the first one's field is the one named. */
        public static ServiceResult invalid(String name, List<JobSpecValidator.Problem> problems) {
            return new ServiceResult(name, false, null, problems.stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining("; ")), ServiceRefusal.INVALID_FIELD,
                    problems.get(0).field(), null);
        }
    }

    /**
     * The answer to create-, update- and delete-reservation; ok false says why (code, reason) and nothing changed.
     *
     * @param reservation the reservation as it is now, for an ok create or update; else null
     * @param field the field at fault for {@link ReservationRefusal#INVALID_FIELD}, else null
     */
    record ReservationResult(String name, boolean ok, AdvanceReservation reservation, ReservationRefusal code,
            String reason, String field) implements ClientReply {
        public static ReservationResult done(String name, AdvanceReservation reservation) {
            return new ReservationResult(name, true, reservation, null, null, null);
        }

        public static ReservationResult refused(String name, ReservationRefusal code, String reason) {
            return new ReservationResult(name, false, null, code, reason, null);
        }

        public static ReservationResult invalid(String name, String field, String reason) {
            return new ReservationResult(name, false, null, ReservationRefusal.INVALID_FIELD, reason, field);
        }
    }

    /**
     * The answer to create-, update- and delete-partition; ok false says why (code, reason) and nothing changed.
     *
     * @param partition the partition as it is now, for an ok create or update; else null
     * @param field the field at fault for {@link PartitionRefusal#INVALID_FIELD}, else null
     */
    record PartitionResult(String name, boolean ok, Partition partition, PartitionRefusal code, String reason,
            String field) implements ClientReply {
        public static PartitionResult done(String name, Partition partition) {
            return new PartitionResult(name, true, partition, null, null, null);
        }

        public static PartitionResult refused(String name, PartitionRefusal code, String reason) {
            return new PartitionResult(name, false, null, code, reason, null);
        }
    }

    /**
     * The answer to forecast-starts: the pending jobs the scheduler expects to start, in the order it planned them.
     * A pending job not listed has no expected start (held, dependent, beyond the plan's window or depth).
     *
     * @param reason why there is no forecast, when the scheduler planned nothing for the request; else null
     * @param notPlanned for a job asked about (sbatch --test-only) that would have no start, why (held, waiting
     *        for a dependency, or not fitting within the backfill window); else null
     * @param unavailable set, with the reason, when the scheduler planned nothing for now and the same request may
     *        be answered if asked again later; null for an answer, and for a failure, which asking again would meet
     *        alike (the reason alone then)
     */
    record StartForecast(List<ExpectedStart> starts, String reason, String notPlanned, Unavailable unavailable)
            implements ClientReply {
        public StartForecast {
            starts = List.copyOf(starts);
        }

        public StartForecast(List<ExpectedStart> starts, String reason, String notPlanned) {
            this(starts, reason, notPlanned, null);
        }

        public StartForecast(List<ExpectedStart> starts, String reason) {
            this(starts, reason, null, null);
        }

        /** Nothing planned for now, for the reason given: the caller may ask again later. */
        public static StartForecast unavailable(Unavailable why, String reason) {
            return new StartForecast(List.of(), reason, null, why);
        }

        /** Why a forecast was not planned for now, as a stable wire name a client branches on (REST: 503). */
        public enum Unavailable {
            /** As many forecasts or callers wait for the planner as the scheduler keeps waiting: ask again shortly. */
            BUSY("busy"),
            /** The scheduler is stopping: ask again once it, or the head that takes over, is back. */
            STOPPING("stopping");

            private final String wireName;

            Unavailable(String wireName) {
                this.wireName = wireName;
            }

            @JsonValue
            public String wireName() {
                return wireName;
            }
        }
    }

    /**
     * @param start when the job is expected to start
     * @param nodes the host names it is planned on; empty for a job waiting for its begin time that the plan does
     *        not reach (a begin time beyond the backfill window, or a job beyond its depth)
     * @param cpus the processors the job would be given there (sbatch --test-only's "using N processors"): its
     *        tasks' CPUs, or the nodes' whole count for an exclusive job; null when no nodes are named
     */
    record ExpectedStart(long jobId, Instant start, List<String> nodes, Integer cpus) {
        public ExpectedStart {
            nodes = List.copyOf(nodes);
        }

        public ExpectedStart(long jobId, Instant start, List<String> nodes) {
            this(jobId, start, nodes, null);
        }
    }

    /**
     * The answer to top-jobs.
     *
     * @param ok false when nothing changed
     * @param refusal why nothing changed, as a code: {@link #ACCESS_DENIED}, {@link #NOT_PENDING} (a job unknown
     *        to the scheduler too: it holds unfinished jobs alone), {@link #HELD} or {@link #OUT_OF_RANGE}; null when ok, and for a request that
     *        is malformed or failed (the reason says which)
     * @param jobId the job the refusal is about; null when ok, or when it is about none (access-denied to a user who
     *        may not move jobs at all)
     * @param state that job's state, null when none or unknown
     * @param reason the scheduler's words for the refusal; null when ok
     * @param changed how many jobs' nice (or fixed priority) changed
     */
    record TopResult(boolean ok, String refusal, Long jobId, JobState state, String reason, int changed)
            implements ClientReply {
        public static final String ACCESS_DENIED = "access-denied";
        public static final String NOT_PENDING = "not-pending";
        public static final String HELD = "held";
        public static final String OUT_OF_RANGE = "out-of-range";
        /** Every refusal code, in the order the documents list them. */
        public static final List<String> REFUSALS = List.of(ACCESS_DENIED, NOT_PENDING, HELD, OUT_OF_RANGE);

        public static TopResult done(int changed) {
            return new TopResult(true, null, null, null, null, changed);
        }

        public static TopResult refused(String refusal, Long jobId, JobState state, String reason) {
            return new TopResult(false, refusal, jobId, state, reason, 0);
        }
    }

    /**
     * The answer to exec-grant. With ok, what an exec-request for the job needs (docs/protocol.md 13.3): its
     * attempt, the attempt's exec token and the nodes of its allocation, the first coordinating; otherwise reason
     * says why nothing was granted and the rest is null.
     */
    record ExecGrantResult(long jobId, boolean ok, Integer attempt, String token, List<GrantedNode> nodes,
            String reason) implements ClientReply {
        public ExecGrantResult {
            nodes = nodes == null ? null : List.copyOf(nodes);
        }

        public static ExecGrantResult refused(long jobId, String reason) {
            return new ExecGrantResult(jobId, false, null, null, null, reason);
        }

        /** A node of the allocation: its host name, and its id, which names its exec queue. */
        public record GrantedNode(String hostname, String nodeId) {
        }
    }
}
