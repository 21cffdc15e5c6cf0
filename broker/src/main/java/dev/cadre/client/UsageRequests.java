package dev.cadre.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's usage reads: {@code GET /api/jobs/ID/usage} on the head's REST API, with the client file's httpUrl and
 * token. Over HTTP rather than the broker, as sstat reads it: the head sends a read-usage to each node of the job's
 * allocation (protocol.md 15), whose queues no client may send to, and joins the answers. Each read's future fails
 * with a {@link CadreException} naming the job, and at {@link CadreClient#close()} too.
 */
final class UsageRequests {
    private final String httpUrl;
    private final String token;
    private final Duration timeout;
    private final Set<CompletableFuture<JobUsage>> outstanding = ConcurrentHashMap.newKeySet();
    /** Made at the first read: a client that reads no usage starts no HTTP client thread. */
    private HttpClient http;

    UsageRequests(String httpUrl, String token, Duration timeout) {
        this.httpUrl = httpUrl;
        this.token = token;
        this.timeout = timeout;
    }

    CompletableFuture<JobUsage> read(long jobId) {
        if (jobId < 1) {
            throw new IllegalArgumentException("a job id is at least 1, not " + jobId);
        }
        CompletableFuture<JobUsage> result = new CompletableFuture<>();
        if (httpUrl == null || token == null) {
            result.completeExceptionally(new CadreException("cannot read the usage of job " + jobId + ": the client"
                    + " file names no " + (httpUrl == null ? "httpUrl" : "token") + " for the head's REST API, which"
                    + " reads it"));
            return result;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(httpUrl + "/api/jobs/" + jobId + "/usage")).timeout(timeout)
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new CadreException("cannot read the usage of job " + jobId + ": the client"
                    + " file's httpUrl '" + httpUrl + "' is no http://HOST:PORT URL", e));
            return result;
        }
        outstanding.add(result);
        result.whenComplete((r, e) -> outstanding.remove(result));
        client().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    throw unreachable(jobId, failure);
                }
                result.complete(answer(jobId, response.statusCode(), response.body()));
            } catch (CadreException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Fails every read still waiting for its answer: the client is closing. */
    void failOutstanding() {
        for (CompletableFuture<JobUsage> f : List.copyOf(outstanding)) {
            f.completeExceptionally(new CadreException("the Cadre client was closed before the head answered a"
                    + " usage read"));
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }
        return http;
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
        JsonNode problem;
        try {
            problem = MessageCodec.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            problem = null;
        }
        String heard = "HTTP " + status + " from the head";
        String detail = problem != null && problem.path("detail").isTextual() ? problem.path("detail").asText() : null;
        if (status == 401 || status == 403) {
            throw new CadreException("cannot read the usage of job " + jobId + ": the head refused the client file's"
                    + " token (" + heard + ")");
        }
        if (status == 404 || status == 409 || status == 503) {
            throw new UsageRefusedException(jobId, status, detail == null ? heard : detail, state(problem));
        }
        throw new CadreException("cannot read the usage of job " + jobId + ": " + heard
                + (detail == null ? "" : ": " + detail));
    }

    private static JobState state(JsonNode problem) {
        if (problem == null || !problem.path("state").isTextual()) {
            return null;
        }
        try {
            return MessageCodec.mapper().treeToValue(problem.path("state"), JobState.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return null; // a state this client does not know
        }
    }

    private CadreException unreachable(long jobId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String why = cause instanceof HttpConnectTimeoutException ? "could not connect within " + timeout
                : cause instanceof HttpTimeoutException ? "no answer within " + timeout
                : "cannot reach it (" + cause + ")";
        return new CadreException("cannot read the usage of job " + jobId + ": the head's REST API at " + httpUrl
                + ": " + why, cause);
    }
}
