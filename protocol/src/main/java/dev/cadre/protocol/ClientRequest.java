package dev.cadre.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What clients send to {@link Destinations#SUBMIT}: submissions, services and questions here, and the requests that
 * act on a job or a node, safe to resend under a requestId, in {@link ControlRequest}; the operator's requests on
 * advance reservations in {@link ReservationRequest}, and on partitions in {@link PartitionRequest}.
 */
public sealed interface ClientRequest extends Message permits ClientRequest.SubmitJob, ClientRequest.SubmitJobs,
        ClientRequest.CreateService, ClientRequest.UpdateService, ClientRequest.DeleteService, ClientRequest.ExecGrant,
        ClientRequest.ForecastStarts, ControlRequest, ReservationRequest, PartitionRequest {

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

    /** cadre service create: keep service.replicas instances of service.template running. */
    record CreateService(ServiceSpec service) implements ClientRequest {
    }

    /**
     * cadre service update: a new replica count or failure budget (null keeps it). Scaling down cancels the newest
     * instances. Only reset starts the failure counts and backoff afresh (a FAILED service turns ACTIVE): a new
     * replica count fixes nothing that made instances fail. A new budget judges the counts again: a FAILED service
     * whose count is now under it turns ACTIVE, an ACTIVE one whose count reaches it FAILED.
     *
     * @param reset true to forget the failures in a row and the backoff; null or false keeps them
     */
    record UpdateService(String name, Integer replicas, Integer maxConsecutiveFailures, Boolean reset)
            implements ClientRequest {
        public UpdateService(String name, Integer replicas, Integer maxConsecutiveFailures) {
            this(name, replicas, maxConsecutiveFailures, null);
        }

        public boolean resets() {
            return Boolean.TRUE.equals(reset);
        }
    }

    /** cadre service delete: stop every instance, then forget the service. */
    record DeleteService(String name) implements ClientRequest {
    }

    /**
     * srun --pty, salloc at a terminal and srun with piped input outside a job: the exec token of a running job, so
     * that its user can run a command on a node of its allocation through the node's exec queue (docs/protocol.md
     * 5.10). Changes nothing; answered by {@link ClientReply.ExecGrantResult}, refused unless the job runs and
     * {@code user} is its user (or root).
     *
     * @param user who asks: a user name as a job's is ({@link JobSpecValidator#isUserName})
     */
    record ExecGrant(long jobId, String user) implements ClientRequest {
    }

    /**
     * squeue --start: when the scheduler expects each pending job to start, and where, as things stand. Changes
     * nothing; answered by {@link ClientReply.StartForecast}. See docs/protocol.md section 5.9.
     *
     * @param spec sbatch --test-only: a job to plan as if it were submitted now, not stored; the answer then holds
     *        its start alone, or a {@link ClientReply.JobRejected} when a submission of it would be refused. Null
     *        for the pending jobs' starts.
     */
    record ForecastStarts(JobSpec spec) implements ClientRequest {
        public ForecastStarts() {
            this(null);
        }
    }
}
