package dev.cadre.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.util.concurrent.CompletableFuture;

/**
 * The client's usage reads: {@code GET /api/jobs/ID/usage} on the head's REST API. Over HTTP rather than the broker,
 * as sstat reads it: the head sends a read-usage to each node of the job's allocation (protocol.md 15), whose queues
 * no client may send to, and joins the answers.
 */
final class UsageRequests {
    private final HeadRestApi head;

    UsageRequests(HeadRestApi head) {
        this.head = head;
    }

    CompletableFuture<JobUsage> read(long jobId) {
        if (jobId < 1) {
            throw new IllegalArgumentException("a job id is at least 1, not " + jobId);
        }
        return head.get("/api/jobs/" + jobId + "/usage", "read the usage of job " + jobId,
                (status, body) -> answer(jobId, status, body));
    }

    /** The head's answer to a usage read: the usage, or why there is none. */
    static JobUsage answer(long jobId, int status, String body) throws CadreException {
        if (status == 200) {
            try {
                return MessageCodec.mapper().readValue(body, JobUsage.class);
            } catch (JacksonException | IllegalArgumentException e) {
                throw new CadreException("cannot read the usage of job " + jobId + ": the head's answer is no usage: "
                        + e.getMessage(), e);
            }
        }
        JsonNode problem = HeadRestApi.json(body);
        if (status == 404 || status == 409 || status == 503) {
            String detail = HeadRestApi.detail(problem);
            throw new UsageRefusedException(jobId, status, detail == null ? "HTTP " + status + " from the head"
                    : detail, HeadRestApi.state(problem, "state"));
        }
        throw HeadRestApi.failure("read the usage of job " + jobId, status, problem);
    }
}
