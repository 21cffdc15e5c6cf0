package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.ClientFile;
import dev.cadre.protocol.MessageCodec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The client commands' way in: the REST API named in the client file, with its bearer token. */
final class RestClient {
    /** A failure to show the user as it is. */
    static final class ClientException extends Exception {
        final int status;
        /** The job's state when the scheduler refused to change it (a 409's "state"), else null. */
        final String state;

        ClientException(int status, String message, String state) {
            super(message);
            this.status = status;
            this.state = state;
        }

        ClientException(int status, String message) {
            this(status, message, null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ClientFile file;
    private final Path path;

    RestClient(ClientFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    static RestClient fromConfig(String explicit) throws ClientException {
        Path p = ClientFile.locate(explicit, System.getenv(), ClientFile.CLIENT_FILE);
        try {
            ClientFile f = ClientFile.read(p);
            if (f.httpUrl() == null || f.token() == null) {
                throw new ClientException(0, "client file " + p + " has no httpUrl or token");
            }
            return new RestClient(f, p);
        } catch (IOException e) {
            throw new ClientException(0, e.getMessage());
        }
    }

    JsonNode get(String apiPath) throws ClientException {
        return send(HttpRequest.newBuilder(uri(apiPath)).GET());
    }

    JsonNode post(String apiPath, Object body) throws ClientException {
        return send(HttpRequest.newBuilder(uri(apiPath)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MessageCodec.encodeValue(body))));
    }

    JsonNode delete(String apiPath) throws ClientException {
        return send(HttpRequest.newBuilder(uri(apiPath)).DELETE());
    }

    private URI uri(String apiPath) {
        return URI.create(file.httpUrl() + apiPath);
    }

    private JsonNode send(HttpRequest.Builder builder) throws ClientException {
        HttpRequest request = builder.header("Authorization", "Bearer " + file.token())
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ClientException(0, "cannot reach Cadre at " + file.httpUrl() + " (is 'cadre up' running?)");
        } catch (IOException e) {
            throw new ClientException(0, "cannot talk to Cadre at " + file.httpUrl() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(0, "interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isEmpty() ? null : MessageCodec.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new ClientException(response.statusCode(), "unreadable answer from " + file.httpUrl());
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new ClientException(status, "Cadre refused the credentials in " + path + ": "
                    + (body == null ? "status " + status : body.path("detail").asText()));
        }
        if (status >= 400) {
            throw new ClientException(status, body == null ? "status " + status : body.path("detail").asText(),
                    body == null ? null : body.path("state").asText(null));
        }
        return body;
    }
}
