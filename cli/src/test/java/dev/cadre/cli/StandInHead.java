package dev.cadre.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the head's REST API on a loopback port, for a client command run against real HTTP: it answers each
 * request by its path, records the paths (and queries) asked in order, and writes a client file that names it.
 */
final class StandInHead implements AutoCloseable {
    /** A status and its JSON body; a refusal's goes out as application/problem+json, as the head sends it. */
    record Answer(int status, String body) {
    }

    /** What the head answers to a path. */
    interface Answers {
        Answer to(String path);
    }

    /** The paths asked, in order. */
    final List<String> asked = new CopyOnWriteArrayList<>();
    /** The query of each request (null for none), in the same order. */
    final List<String> queries = new CopyOnWriteArrayList<>();
    /** The body of each request, in the same order: empty for a GET. */
    final List<String> bodies = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Path config;

    private StandInHead(HttpServer server, Path config) {
        this.server = server;
        this.config = config;
    }

    /** @param dir where the client file is written */
    static StandInHead start(Path dir, Answers answers) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StandInHead head = new StandInHead(server, dir.resolve("client.json"));
        server.createContext("/", x -> {
            String path = x.getRequestURI().getPath();
            head.bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            head.queries.add(x.getRequestURI().getRawQuery());
            head.asked.add(path);
            Answer answer = answers.to(path);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", answer.status() < 400 ? "application/json"
                    : "application/problem+json");
            x.sendResponseHeaders(answer.status(), body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        Files.writeString(head.config, "{\"httpUrl\":\"http://127.0.0.1:" + server.getAddress().getPort()
                + "\",\"token\":\"t\"}");
        return head;
    }

    /** The client file naming this head. */
    Path config() {
        return config;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
