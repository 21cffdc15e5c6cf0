package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the server takes at once (WebServer.Limits), against real Jetty, a real broker and SQLite: more event
 * streams, more requests waiting on the broker, or more connections than allowed are refused or wait, and are
 * taken again once there is room.
 */
class WebLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void eventStreamsBeyondTheLimitAreRefusedNamingItUntilOneEnds() throws Exception {
        try (RunningWebServer server = new RunningWebServer(new WebServer.Limits(100, 200, 1000, 2, 8, 2));
                SseClient events = SseClient.open(server, "/api/events")) {
            JobRecord pending = server.admit(RunningWebServer.spec("waits", "alice"));
            try (SseClient output = SseClient.open(server, "/api/jobs/" + pending.id() + "/output?follow=true")) {
                assertEquals(200, output.response.statusCode());
                output.awaitComment(WAIT, "has not started");
                for (String stream : List.of("/api/events", "/api/jobs/" + pending.id() + "/output?follow=true")) {
                    try (SseClient refused = SseClient.open(server, stream)) {
                        assertEquals(503, refused.response.statusCode(), stream);
                        assertTrue(refused.refusal.contains("2 event streams are open"), refused.refusal);
                        assertEquals("10", refused.response.headers().firstValue("Retry-After").orElse(null));
                    }
                }

                // The job ends without starting: its follow ends, and with it its place among the streams.
                server.jobs.save(List.of(new JobChange(pending.withState(JobState.CANCELLED,
                        "cancelled"), JobState.PENDING, RunningWebServer.T, null)));
                server.web.eventListener().published(new JobEvent.JobStateChanged(pending.id(), JobState.PENDING,
                        JobState.CANCELLED, "cancelled", RunningWebServer.T, 0, "alice", "waits", null, null), "{}");
                output.await(WAIT, e -> e.event().equals("end"));
                output.awaitEnd(WAIT);
            }
            try (SseClient again = openWhenThereIsRoom(server, "/api/events")) {
                assertEquals(200, again.response.statusCode());
            }
        }
    }

    @Test
    void requestsWaitingForTheSchedulerBeyondTheLimitAreRefusedBeforeAnythingIsSent() throws Exception {
        try (RunningWebServer server = new RunningWebServer(new WebServer.Limits(100, 200, 1000, 10, 1, 2))) {
            Connection scheduler = server.connect("test-scheduler");
            Session session = scheduler.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer submissions = session.createConsumer(session.createQueue(Destinations.SUBMIT));

            CompletableFuture<HttpResponse<String>> first = submitInBackground(server, "first");
            TextMessage firstSent = (TextMessage) submissions.receive(WAIT.toMillis());
            assertEquals("first", name(firstSent), "the first submission waits for the scheduler's answer");

            HttpResponse<String> second = server.post("/api/jobs", submission("second"));
            assertEquals(503, second.statusCode(), second.body());
            assertTrue(second.body().contains("nothing was sent"), second.body());
            assertEquals(Integer.toString(BrokerWaits.RETRY_AFTER_SECONDS),
                    second.headers().firstValue("Retry-After").orElse(null));

            answer(session, firstSent, 1);
            assertEquals(201, first.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
            CompletableFuture<HttpResponse<String>> third = submitInBackground(server, "third");
            TextMessage thirdSent = (TextMessage) submissions.receive(WAIT.toMillis());
            assertEquals("third", name(thirdSent), "the refused second submission never reached the broker");
            answer(session, thirdSent, 2);
            assertEquals(201, third.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        try (RunningWebServer server = new RunningWebServer(new WebServer.Limits(2, 200, 1000, 1, 8, 2));
                Socket a = new Socket("127.0.0.1", server.web.port());
                Socket b = new Socket("127.0.0.1", server.web.port())) {
            assertTrue(exchange(server, a).startsWith("HTTP/1.1 200"));
            assertTrue(exchange(server, b).startsWith("HTTP/1.1 200"));
            try (Socket c = new Socket("127.0.0.1", server.web.port())) {
                c.setSoTimeout(1000);
                send(server, c);
                assertThrows(SocketTimeoutException.class, () -> c.getInputStream().read(),
                        "a third connection is not served while two are open");
                a.close();
                c.setSoTimeout((int) WAIT.toMillis());
                assertTrue(statusLine(c.getInputStream()).startsWith("HTTP/1.1 200"), "served once one closed");
            }
        }
    }

    @Test
    void limitsThatCannotWorkAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WebServer.Limits(10, 200, 1000, 10, 8, 2));
        assertTrue(e.getMessage().contains("eventStreams (10) must leave connections (10)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WebServer.Limits(100, 20, 1000, 10, 11, 2));
        assertTrue(e.getMessage().contains("brokerWaits (11)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WebServer.Limits(100, 200, 1000, 10, 8, 0));
        assertEquals("the web limit outputWorkers must be at least 1, not 0", e.getMessage());
    }

    /** Opens the stream once the server has room for it: a stream's place is freed as the server ends it. */
    private static SseClient openWhenThereIsRoom(RunningWebServer server, String path) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SseClient c = SseClient.open(server, path);
            if (c.response.statusCode() != 503) {
                return c;
            }
            c.close();
            assertTrue(System.nanoTime() < deadline, "no room for " + path + " within " + WAIT);
        }
    }

    private static String submission(String name) {
        return "{\"spec\": {\"name\": \"" + name + "\", \"user\": \"alice\", \"workDir\": \"/tmp\","
                + " \"script\": \"#!/bin/sh\\ntrue\\n\"}}";
    }

    private static CompletableFuture<HttpResponse<String>> submitInBackground(RunningWebServer server, String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.post("/api/jobs", submission(name));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String name(TextMessage m) throws Exception {
        assertTrue(m != null, "no submission reached the broker in time");
        return ((ClientRequest.SubmitJob) MessageCodec.decode(m.getText(), ClientRequest.class)).spec().name();
    }

    /** Answers as the scheduler does: a job-accepted to the request's reply-to, with its correlation id. */
    private static void answer(Session session, TextMessage request, long jobId) throws Exception {
        TextMessage reply = session.createTextMessage(MessageCodec.encode(new ClientReply.JobAccepted(jobId, null,
                false, JobState.PENDING, null, null)));
        reply.setJMSCorrelationID(request.getJMSCorrelationID());
        session.createProducer(request.getJMSReplyTo()).send(reply);
    }

    /** One request on a kept-alive connection, and its status line. */
    private static String exchange(RunningWebServer server, Socket s) throws Exception {
        send(server, s);
        InputStream in = s.getInputStream();
        String status = statusLine(in);
        // Reads the rest of the answer, so that the connection is idle and stays open.
        int length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static void send(RunningWebServer server, Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(("GET /api/nodes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.users.restToken()
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String statusLine(InputStream in) throws Exception {
        return readLine(in);
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new AssertionError("the connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
