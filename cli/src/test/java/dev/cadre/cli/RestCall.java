package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.MessageCodec;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** One REST API request as an outside client sends it, with any token or none, whatever the answer. */
final class RestCall {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RestCall() {
    }

    /** @param body null to send none; token null to send no Authorization header */
    static HttpResponse<String> send(String httpUrl, String method, String path, String body, String token)
            throws Exception {
        return send(httpUrl, method, path, body, token, null);
    }

    /** @param idempotencyKey the Idempotency-Key header, null for none */
    static HttpResponse<String> send(String httpUrl, String method, String path, String body, String token,
            String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A GET sent as raw bytes, for request lines that java.net.URI refuses to build; the whole answer as text.
     */
    static String rawGet(String httpUrl, String pathAndQuery, String token) throws Exception {
        URI url = URI.create(httpUrl);
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "Connection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.mapper().readTree(r.body());
    }
}
