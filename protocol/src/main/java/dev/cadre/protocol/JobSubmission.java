package dev.cadre.protocol;

/**
 * One entry of a {@code submit-jobs} batch: the same two fields as a {@code submit-job} message, without the
 * envelope.
 *
 * @param submissionId the client's own id; resending the same id never creates a second job
 */
public record JobSubmission(String submissionId, JobSpec spec) {

    /** The single-job request this entry stands for, so that both are validated and admitted alike. */
    public ClientRequest.SubmitJob asRequest() {
        return new ClientRequest.SubmitJob(submissionId, spec);
    }
}
