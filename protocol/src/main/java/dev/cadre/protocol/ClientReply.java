package dev.cadre.protocol;

import java.util.List;

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

    /** @param state the job's state after the request; ok is false for unknown or finished jobs */
    record CancelResult(long jobId, boolean ok, JobState state, String reason) implements ClientReply {
    }

    /**
     * The answer to hold-job, release-job, requeue-job and update-job.
     *
     * @param ok false when nothing changed; reason says why
     */
    record ControlResult(long jobId, boolean ok, JobState state, String reason) implements ClientReply {
    }

    /** The answer to create-service and delete-service; ok false says why in reason, and nothing changed. */
    record ServiceResult(String name, boolean ok, String state, String reason) implements ClientReply {
    }
}
