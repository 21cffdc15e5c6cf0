package dev.cadre.client;

/**
 * The scheduler did not answer a submission in time. The job may exist all the same: submitting again with the
 * same submission id returns it, or creates it if the first request never arrived.
 */
public final class ReplyTimeoutException extends CadreException {
    private final String submissionId;

    public ReplyTimeoutException(String submissionId, String message) {
        super(message);
        this.submissionId = submissionId;
    }

    public String submissionId() {
        return submissionId;
    }
}
