package dev.cadre.protocol;

/** What clients send to {@link Destinations#SUBMIT}. */
public sealed interface ClientRequest extends Message {

    /**
     * @param submissionId the client's own id; resending the same id never creates a second job
     */
    record SubmitJob(String submissionId, JobSpec spec) implements ClientRequest {
    }

    record CancelJob(long jobId) implements ClientRequest {
    }
}
