package dev.cadre.client;

/**
 * The scheduler did not answer a submission in time, or its sends failed (a failed send may have arrived all the
 * same). The job may exist: submitting again with the same {@link #submissionId()} is safe, as it returns that job,
 * or creates it once if no send ever arrived.
 */
public final class ReplyTimeoutException extends CadreException {
    private final String submissionId;

    public ReplyTimeoutException(String submissionId, String message) {
        super(message);
        this.submissionId = submissionId;
    }

    /** With the last send's failure as the cause. */
    public ReplyTimeoutException(String submissionId, String message, Throwable cause) {
        super(message, cause);
        this.submissionId = submissionId;
    }

    public String submissionId() {
        return submissionId;
    }
}
