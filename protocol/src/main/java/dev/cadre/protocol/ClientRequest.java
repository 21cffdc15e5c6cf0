package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What clients send to {@link Destinations#SUBMIT}. */
public sealed interface ClientRequest extends Message {

    /**
     * @param submissionId the client's own id; resending the same id never creates a second job
     */
    record SubmitJob(String submissionId, JobSpec spec) implements ClientRequest {
    }

    /**
     * Up to {@link JobSpecValidator#MAX_BATCH_JOBS} submissions in one message, answered by one
     * {@link ClientReply.JobsSubmitted}. Each entry is judged on its own: one bad spec does not stop the others.
     */
    record SubmitJobs(List<JobSubmission> jobs) implements ClientRequest {
        public SubmitJobs {
            jobs = jobs == null ? null : Collections.unmodifiableList(new ArrayList<>(jobs));
        }
    }

    record CancelJob(long jobId) implements ClientRequest {
    }
}
