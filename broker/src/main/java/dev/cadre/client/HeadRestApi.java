package dev.cadre.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.PinnedCertificate;
import dev.cadre.broker.TlsMismatch;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The head's REST API as the client reads it: GETs with the client file's httpUrl and bearer token. What only the
 * head can tell goes this way: a job's usage, which the head gathers from nodes whose queues no client may send to,
 * and a job's state, for which the bus has no request. Each call is named by what it does ("read the usage of job
 * 5"): its future fails with a {@link CadreException} beginning "cannot" and that name, also at
 * {@link CadreClient#close()}.
 */
final class HeadRestApi {
    /** Reads the head's answer (any status but a refused token) into the call's result, or throws why there is none. */
    interface Answer<T> {
        T read(int status, String body) throws CadreException;
    }

    private final String httpUrl;
    private final String token;
    /** The client file's headCertificate: an https httpUrl is trusted for it alone. */
    private final String certificate;
    private final Duration timeout;
    /** Each call still waiting, with what it does, so that close() can say which one it failed. */
    private final Map<CompletableFuture<?>, String> outstanding = new ConcurrentHashMap<>();
    /** Made at the first call: a client that never asks the head starts no HTTP client thread. */
    private HttpClient http;

    HeadRestApi(String httpUrl, String token, String certificate, Duration timeout) {
        this.httpUrl = httpUrl;
        this.token = token;
        this.certificate = certificate;
        this.timeout = timeout;
    }

    /** GETs the path (from "/api"); the future completes on a thread of the HTTP client. */
    <T> CompletableFuture<T> get(String path, String what, Answer<T> answer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (httpUrl == null || token == null) {
            result.completeExceptionally(new CadreException("cannot " + what + ": the client file names no "
                    + (httpUrl == null ? "httpUrl" : "token") + " for the head's REST API, which answers"
                    + " this"));
            return result;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(httpUrl + path)).timeout(timeout)
                    .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new CadreException("cannot " + what + ": the client file's httpUrl '"
                    + httpUrl + "' is no http://HOST:PORT URL", e));
            return result;
        }
        HttpClient client;
        try {
            client = client();
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new CadreException("cannot " + what + ": the client file's httpUrl is https"
                    + " and its headCertificate " + e.getMessage(), e));
            return result;
        }
        outstanding.put(result, what);
        result.whenComplete((r, e) -> outstanding.remove(result));
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    throw unreachable(what, failure);
                }
                result.complete(answer.read(response.statusCode(), response.body()));
            } catch (CadreException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                result.completeExceptionally(new CadreException("cannot " + what + ": " + e, e));
            }
        });
        return result;
    }

    /** Fails every call still waiting for the head: the client is closing. */
    void failOutstanding() {
        for (Map.Entry<CompletableFuture<?>, String> e : Map.copyOf(outstanding).entrySet()) {
            e.getKey().completeExceptionally(new CadreException("the Cadre client was closed before the head"
                    + " answered; cannot " + e.getValue()));
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
            if (httpUrl.startsWith("https:")) {
                if (certificate == null) {
                    throw new IllegalArgumentException("is missing; copy the client.json of the head again");
                }
                try {
                    builder.sslContext(PinnedCertificate.parse(certificate).sslContext());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("is " + e.getMessage(), e);
                }
            }
            http = builder.build();
        }
        return http;
    }

    private CadreException unreachable(String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String mismatch = cause instanceof HttpTimeoutException ? null
                : TlsMismatch.find(httpUrl, httpUrl.startsWith("https:"), null);
        String why = cause instanceof HttpConnectTimeoutException ? "could not connect within " + timeout
                : cause instanceof HttpTimeoutException ? "no answer within " + timeout
                : mismatch != null ? mismatch
                : "cannot reach it (" + cause + ")";
        return new CadreException("cannot " + what + ": the head's REST API at " + httpUrl + ": " + why, cause);
    }

    /** An answer's body as JSON (an RFC 9457 problem, for a refusal); null when it is none. */
    static JsonNode json(String body) {
        try {
            return MessageCodec.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** A problem's detail, the head's own words on why; null when it gives none. */
    static String detail(JsonNode problem) {
        return problem != null && problem.path("detail").isTextual() ? problem.path("detail").asText() : null;
    }

    /** The job state a field of the answer names; null when it names none this client knows. */
    static JobState state(JsonNode node, String field) {
        if (node == null || !node.path(field).isTextual()) {
            return null;
        }
        try {
            return MessageCodec.mapper().treeToValue(node.path(field), JobState.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return null; // a state this client does not know
        }
    }

    /** An answer the call has no better words for: a refused token, or the status and the head's detail. */
    static CadreException failure(String what, int status, JsonNode problem) {
        String heard = "HTTP " + status + " from the head";
        if (status == 401 || status == 403) {
            return new CadreException("cannot " + what + ": the head refused the client file's token (" + heard
                    + ")");
        }
        String detail = detail(problem);
        return new CadreException("cannot " + what + ": " + heard + (detail == null ? "" : ": " + detail));
    }
}
