package dev.cadre.client;

import java.util.List;

/**
 * A batch of {@link CadreClient#submitAll} could not be sent. The batches before it were, and their jobs go on:
 * this holds every submission of the call so that the caller can follow those and send the rest again.
 *
 * @deprecated no longer thrown: a failed send may have arrived all the same, so {@code submitAll} now sends such a
 *     batch again, one submission at a time under the same ids, and fails only the futures of those left unanswered
 */
@Deprecated
public final class BatchNotSentException extends CadreException {
    private final transient List<Submission> submissions;
    private final int firstNotSent;

    BatchNotSentException(List<Submission> submissions, int firstNotSent, Throwable cause) {
        super("could not send submissions " + firstNotSent + " to " + (submissions.size() - 1) + " of "
                + submissions.size() + " (those before were sent and go on): " + cause.getMessage(), cause);
        this.submissions = List.copyOf(submissions);
        this.firstNotSent = firstNotSent;
    }

    /** Every submission of the call, in order; those from {@link #firstNotSent()} on have failed with this. */
    public List<Submission> submissions() {
        return submissions;
    }

    /** The index of the first submission that was not sent. */
    public int firstNotSent() {
        return firstNotSent;
    }
}
