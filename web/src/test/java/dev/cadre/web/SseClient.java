package dev.cadre.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Server-Sent Events client that reads a stream as a browser's EventSource does, for tests: every event. */
final class SseClient implements AutoCloseable {
    /** @param id null when the event had none */
    record Event(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final HttpResponse<InputStream> response;
    /** The body of an answer other than 200 (a problem), read whole; null for a stream. */
    final String refusal;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;

    /** Opens the stream with the token as the query parameter, as a browser does. */
    static SseClient open(RunningWebServer server, String pathAndQuery) throws Exception {
        String separator = pathAndQuery.contains("?") ? "&" : "?";
        return new SseClient(server.url(pathAndQuery + separator + ApiHandler.TOKEN_PARAMETER + "="
                + server.users.restToken()));
    }

    SseClient(String url) throws Exception {
        response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream in = response.body()) {
                refusal = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            refusal = null;
        }
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = "message";
            List<String> data = new ArrayList<>();
            for (String line; (line = in.readLine()) != null;) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, event, String.join("\n", data)));
                    }
                    id = null;
                    event = "message";
                    data = new ArrayList<>();
                } else if (line.startsWith(":")) {
                    synchronized (comments) {
                        comments.add(line.substring(1).trim());
                        comments.notifyAll();
                    }
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        } catch (IOException e) {
            // Closed by the test.
        } finally {
            ended = true;
        }
    }

    /** Skips events until one matches; fails when none does in time. */
    Event await(Duration wait, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + wait + (ended ? " (the stream ended)" : "")
                        + "; comments: " + comments);
            }
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    /** Waits until a comment containing the text came; fails when none does in time. */
    void awaitComment(Duration wait, String text) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (comments) {
            while (comments.stream().noneMatch(c -> c.contains(text))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no comment '" + text + "' within " + wait + "; comments: " + comments);
                }
                comments.wait(left);
            }
        }
    }

    /** Waits until the server has ended the stream; fails when it does not in time. */
    void awaitEnd(Duration wait) throws InterruptedException {
        reader.join(wait.toMillis());
        if (reader.isAlive()) {
            throw new AssertionError("the stream did not end within " + wait);
        }
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
