package dev.cadre.cli;

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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Server-Sent Events client as a browser's EventSource reads a stream, for tests: every event, in order. */
final class SseClient implements AutoCloseable {
    /** @param id null when the event had none */
    record Event(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private final Thread reader;

    /** @param lastEventId sent as Last-Event-ID, or null; token null to send no Authorization header */
    SseClient(String url, String token, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = "message";
            List<String> data = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, event, String.join("\n", data)));
                    }
                    id = null;
                    event = "message";
                    data = new ArrayList<>();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
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

    /** The next event, failing when none comes in time. */
    Event next(Duration wait) throws InterruptedException {
        Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + wait + (ended ? " (the stream ended)" : ""));
        }
        return e;
    }

    /** Skips events until one matches; fails when none does in time. */
    Event await(Duration wait, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + wait);
            }
            if (wanted.test(e)) {
                return e;
            }
        }
    }

    /** Every event until the server ends the stream. */
    List<Event> untilEnd(Duration wait) throws InterruptedException {
        reader.join(wait.toMillis());
        if (reader.isAlive()) {
            throw new AssertionError("the stream did not end within " + wait);
        }
        List<Event> all = new ArrayList<>();
        events.drainTo(all);
        return all;
    }

    List<String> comments() {
        return comments;
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
