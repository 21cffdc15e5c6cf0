package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One REST API request as an outside client sends it, with any token or none, whatever the answer. */
final class RestCall {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RestCall() {
    }

    /** @param body null to send none; token null to send no Authorization header */
    static HttpResponse<String> send(String httpUrl, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.mapper().readTree(r.body());
    }
}
