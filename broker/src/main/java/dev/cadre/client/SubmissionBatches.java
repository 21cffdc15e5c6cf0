package dev.cadre.client;

import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.JobSubmission;
import dev.cadre.protocol.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts many submissions into submit-jobs messages the scheduler accepts: at most
 * {@link JobSpecValidator#MAX_BATCH_JOBS} entries and {@link MessageCodec#MAX_BYTES} of body each. Pure.
 */
final class SubmissionBatches {
    private SubmissionBatches() {
    }

    /** One message: its submissions, in order, and the encoded body to send. */
    record Batch(List<Submission> submissions, String body) {
    }

    static List<Batch> of(List<Submission> submissions) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < submissions.size(); from += JobSpecValidator.MAX_BATCH_JOBS) {
            split(submissions.subList(from, Math.min(submissions.size(), from + JobSpecValidator.MAX_BATCH_JOBS)),
                    out);
        }
        return out;
    }

    /**
     * Encodes once in the usual case; a body over the limit (large scripts) is halved until it fits. A single
     * submission too large on its own stays a batch of one, which the sender refuses without sending.
     */
    private static void split(List<Submission> chunk, List<Batch> out) {
        String body = MessageCodec.encode(new ClientRequest.SubmitJobs(chunk.stream()
                .map(s -> new JobSubmission(s.submissionId(), s.spec())).toList()));
        // The scheduler measures a text body in characters and a bytes body in bytes; clients send text.
        if (body.length() <= MessageCodec.MAX_BYTES || chunk.size() == 1) {
            out.add(new Batch(List.copyOf(chunk), body));
            return;
        }
        int half = chunk.size() / 2;
        split(chunk.subList(0, half), out);
        split(chunk.subList(half, chunk.size()), out);
    }
}
