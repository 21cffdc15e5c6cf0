package dev.cadre.cli;

import dev.cadre.broker.TlsMismatch;
import dev.cadre.cli.wire.HttpMessage;
import dev.cadre.cli.wire.Json;
import dev.cadre.cli.wire.JsonWriter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client commands' way in: the REST API named in the client file, with its bearer token. One plain
 * HTTP/1.1 exchange per call over a socket of its own; a command makes one or two, so nothing is kept open. An https
 * httpUrl (a head started with --client-tls) is reached over TLS trusting the file's headCertificate alone.
 */
final class RestClient {
    static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 60_000;
    /** The REST API's largest page of jobs. */
    static final int JOB_PAGE = 10_000;

    /** What a failed call tells of whether the head acted on the request. */
    enum Answer {
        /** The head answered: the request was refused, or the client could not make it. */
        GIVEN,
        /**
         * Sent, but not answered: the head may act on it yet (a 504 when the scheduler is slow, a 503 from a head
         * with too many requests waiting, a connection that timed out or broke).
         */
        NONE,
        /** Nothing was sent: the head could not be reached. */
        NOT_REACHED,
        /**
         * The head speaks TLS where the client file asks for plain HTTP, or the other way round: it could read nothing
         * of the request, and no try succeeds until the file is replaced with the head's new client.json.
         */
        WRONG_TLS
    }

    /** A failure to show the user as it is. */
    static final class ClientException extends Exception {
        final int status;
        /** The job's state when the scheduler refused to change it (a 409's "state"), else null. */
        final String state;
        final Answer answer;
        /** A refused submission's rejection code (protocol.md 6.4), else null. */
        final String code;
        /** The field at fault, where the head names one, else null. */
        final String field;

        ClientException(int status, String message, String state, Answer answer) {
            this(status, message, state, answer, null, null);
        }

        private ClientException(int status, String message, String state, Answer answer, String code, String field) {
            super(message);
            this.status = status;
            this.state = state;
            this.answer = answer;
            this.code = code;
            this.field = field;
        }

        /**
         * For a change sent but not answered ({@link Answer#NONE}): the head may still carry it out once it can
         * write, and one repeated then is carried out twice (a relative TimeLimit+=5, a requeue), so the user is
         * told to look first. Empty for any other failure.
         */
        String mayStillBeCarriedOut(String check) {
            return answer != Answer.NONE ? "" : "; no answer yet, so it may still be carried out later, once the"
                    + " head catches up: check with " + check + " before repeating it";
        }

        ClientException(int status, String message, String state) {
            this(status, message, state, answerOf(status));
        }

        /** A refusal the head answered with, its problem's members taken over. */
        static ClientException of(int status, Json problem) {
            return new ClientException(status, problem.path("detail").asText(), problem.path("state").asText(null),
                    answerOf(status), problem.path("code").asText(null), problem.path("field").asText(null));
        }

        private static Answer answerOf(int status) {
            return status == 503 || status == 504 ? Answer.NONE : Answer.GIVEN;
        }

        ClientException(int status, String message) {
            this(status, message, null);
        }
    }

    private final String httpUrl;
    private final String host;
    private final int port;
    private final String basePath;
    private final String token;
    private final Path file;
    /** Null over plain HTTP. */
    private final HeadTls tls;

    private RestClient(String httpUrl, String token, String certificate, Path file) throws ClientException {
        URI uri;
        try {
            uri = URI.create(httpUrl);
        } catch (IllegalArgumentException e) {
            throw new ClientException(0, "client file " + file + " has a malformed httpUrl '" + httpUrl + "'");
        }
        boolean secure = "https".equals(uri.getScheme());
        if (!secure && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new ClientException(0, "client file " + file + ": httpUrl must be http://HOST:PORT or"
                    + " https://HOST:PORT, not '" + httpUrl + "'");
        }
        this.tls = secure ? HeadTls.of(certificate, file) : null;
        this.httpUrl = httpUrl;
        this.host = uri.getHost();
        this.port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        this.basePath = withoutTrailingSlashes(uri.getRawPath() == null ? "" : uri.getRawPath());
        this.token = token;
        this.file = file;
    }

    private static String withoutTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    static RestClient fromConfig(String explicit) throws ClientException {
        Path p = clientFile(explicit, System.getenv());
        if (!Files.isRegularFile(p)) {
            throw new ClientException(0, "no Cadre client file at " + p + " (start the head with 'cadre up', or"
                    + " pass --config FILE or set CADRE_CONFIG)");
        }
        Json f;
        try {
            f = Json.parse(Files.readString(p));
        } catch (IOException | IllegalArgumentException e) {
            throw new ClientException(0, "client file " + p + " is not valid: " + e.getMessage());
        }
        if (!f.hasNonNull("httpUrl") || !f.hasNonNull("token")) {
            throw new ClientException(0, "client file " + p + " has no httpUrl or token");
        }
        return new RestClient(f.path("httpUrl").asText(), f.path("token").asText(),
                f.path("headCertificate").asText(null), p);
    }

    /**
     * Which client file to use: the explicit one, then $CADRE_CONFIG, then client.json in $CADRE_HOME or
     * ~/.cadre, as ClientFile.locate finds it. Not that method itself: loading ClientFile verifies its Jackson
     * code, which is on the daemons' classpath only.
     */
    static Path clientFile(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String fromEnv = env.get("CADRE_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String home = env.get("CADRE_HOME");
        Path dataDir = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".cadre");
        return dataDir.resolve("client.json");
    }

    Json get(String apiPath) throws ClientException {
        return send("GET", apiPath, null, null, CONNECT_TIMEOUT_MS);
    }

    /**
     * Every job a GET /api/jobs query finds, a page at a time (the API's largest page), in the order of their ids.
     *
     * @param query the query's parameters, without limit and after; empty for every job
     */
    List<Json> jobs(String query) throws ClientException {
        return jobs(query, JOB_PAGE);
    }

    /**
     * As {@link #jobs(String)}, in pages of the given size: an id query (squeue -j 12) pages the same way, as an
     * array may have more parts than one page holds.
     */
    List<Json> jobs(String query, int pageSize) throws ClientException {
        List<Json> all = new ArrayList<>();
        long after = 0;
        while (true) {
            Json page = get("/api/jobs?limit=" + pageSize + query + (after > 0 ? "&after=" + after : ""));
            for (Json j : page) {
                all.add(j);
                after = Math.max(after, j.path("id").asLong());
            }
            if (page.size() < pageSize) {
                return all;
            }
        }
    }

    Json post(String apiPath, Object body) throws ClientException {
        return post(apiPath, body, CONNECT_TIMEOUT_MS);
    }

    /** As {@link #post(String, Object)}, giving up connecting after connectMillis (at most the usual 5 s). */
    Json post(String apiPath, Object body, int connectMillis) throws ClientException {
        return change("POST", apiPath, body, null, connectMillis);
    }

    Json delete(String apiPath) throws ClientException {
        return send("DELETE", apiPath, null, null, CONNECT_TIMEOUT_MS);
    }

    /**
     * A POST with a body, or a DELETE (body null), under an Idempotency-Key: sent again under the same key, the head
     * carries it out once (see {@link PatientControl}).
     *
     * @param connectMillis giving up connecting after that long (at most the usual 5 s)
     */
    Json change(String method, String apiPath, Object body, String key, int connectMillis) throws ClientException {
        return send(method, apiPath, body == null ? null : JsonWriter.write(body).getBytes(StandardCharsets.UTF_8),
                key, Math.max(1, Math.min(CONNECT_TIMEOUT_MS, connectMillis)));
    }

    private Json send(String method, String apiPath, byte[] body, String key, int connectMillis)
            throws ClientException {
        HttpMessage.Response response;
        boolean sent = false;
        try (Socket plain = new Socket(Proxy.NO_PROXY)) {
            plain.connect(new InetSocketAddress(host, port), connectMillis);
            plain.setSoTimeout(READ_TIMEOUT_MS);
            plain.setTcpNoDelay(true);
            Socket socket = tls == null ? plain : tls.handshake(plain, host, port, httpUrl);
            OutputStream out = socket.getOutputStream();
            // Counted as sent from the first byte: the head may have had all of it.
            sent = true;
            out.write(HttpMessage.request(method, port == 80 ? host : host + ":" + port, basePath + apiPath, token,
                    key, body));
            out.flush();
            response = HttpMessage.read(new BufferedInputStream(socket.getInputStream()));
        } catch (ConnectException e) {
            throw new ClientException(0, "cannot reach Cadre at " + httpUrl + " (is 'cadre up' running?)", null,
                    Answer.NOT_REACHED);

        } catch (SocketTimeoutException e) {
            throw new ClientException(0, "Cadre at " + httpUrl + " did not answer in time", null,
                    sent ? Answer.NONE : Answer.NOT_REACHED);
        } catch (IOException e) {
            String mismatch = TlsMismatch.find(httpUrl, tls != null, file);
            if (mismatch != null) {
                throw new ClientException(0, mismatch, null, Answer.WRONG_TLS);
            }
            throw new ClientException(0, "cannot talk to Cadre at " + httpUrl + ": " + e.getMessage(), null,
                    sent ? Answer.NONE : Answer.NOT_REACHED);
        }
        Json answer;
        try {
            answer = response.body().length == 0 ? null : Json.parse(response.text());
        } catch (IllegalArgumentException e) {
            throw new ClientException(response.status(), "unreadable answer from " + httpUrl);
        }
        int status = response.status();
        if (status == 401 || status == 403) {
            throw new ClientException(status, "Cadre refused the credentials in " + file + ": "
                    + (answer == null ? "status " + status : answer.path("detail").asText()));
        }
        if (status >= 400) {
            throw answer == null ? new ClientException(status, "status " + status)
                    : ClientException.of(status, answer);
        }
        return answer;
    }
}
