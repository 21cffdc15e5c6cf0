package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The answers Jetty would make by itself, and the head's own failures, against real Jetty over plain sockets:
 * problem+json without the URL or Jetty's version, and a 500 that names only the id its stack trace is logged
 * under.
 */
class ErrorAnswersTest {

    @Test
    void urlsJettyRefusesAreProblemsThatRepeatNeitherTheUrlNorJettysVersion() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            refusedWithoutJetty(server);
        }
    }

    private static void refusedWithoutJetty(RunningWebServer server) throws Exception {
        for (String target : List.of("/api/jobs/..%2F..%2Fetc%2Fpasswd", "/api/services/..%2Fx",
                "/api/jobs/%2e%2e/nodes", "/api//jobs", "/api/jobs/1%00", "/api/jobs/%zz", "/api/jobs/%C0",
                "/api/jobs/%5C", "/api/jobs\\x", "/api/jobs/1;x=y", "/api/services/web;x")) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                RawHttp r = RawHttp.send(server, method, target);
                assertEquals(400, r.status(), method + " " + target + ": " + r);
                problemWithoutJetty(r, target);
            }
        }
        for (String target : List.of("/nothing", "/api/../nothing", "/index.html/x")) {
            RawHttp r = RawHttp.send(server, "GET", target);
            assertEquals(404, r.status(), target + ": " + r);
            problemWithoutJetty(r, target);
        }
        RawHttp wrongMethod = RawHttp.send(server, "POST", "/index.html");
        assertEquals(405, wrongMethod.status(), wrongMethod.toString());
        problemWithoutJetty(wrongMethod, "index.html");
    }

    @Test
    void aRefusalBeforeTheBodyWasReadSaysTheConnectionCloses() throws Exception {
        // Jetty closes such a connection once it has answered; unsaid, a keep-alive client sent its next request
        // into the closed socket (a broken pipe under load in RestApiIntegrationTest).
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT);
                java.net.Socket socket = new java.net.Socket("127.0.0.1", server.web.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                    + " application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)
                    + new String(readHead(socket.getInputStream()), StandardCharsets.ISO_8859_1);
            assertTrue(head.startsWith("HTTP/1.1 401"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("\nconnection: close\r"), head);
        }
    }

    /** The rest of an answer's head, up to its blank line. */
    private static byte[] readHead(java.io.InputStream in) throws java.io.IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toByteArray();
    }

    @Test
    void noAnswerNamesTheServersSoftware() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            for (String target : List.of("/", "/app.js", "/api/openapi.json", "/api/cluster", "/api/nothing")) {
                RawHttp r = RawHttp.send(server, "GET", target);
                assertNull(r.headers().get("server"), target + ": " + r.headers());
                assertFalse(r.body().contains("Jetty"), target);
            }
        }
    }

    @Test
    void aFailureOfTheHeadIsAnsweredWithAnIdThatTheLogHasBesideTheStackTrace() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            failureById(server);
        }
    }

    private static void failureById(RunningWebServer server) throws Exception {
        long job = server.admit(RunningWebServer.spec("unreadable", "alice")).id();
        server.jdbi.useHandle(h -> h.execute("UPDATE jobs SET state = 'UNREADABLE' WHERE id = ?", job));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        RawHttp r;
        // slf4j-simple writes to whatever System.err is when it logs, as the head's log does.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            r = RawHttp.send(server, "GET", "/api/jobs/" + job);
        } finally {
            System.setErr(err);
        }
        assertEquals(500, r.status(), r.toString());
        assertEquals("application/problem+json", r.headers().get("content-type"));
        Matcher id = Pattern.compile("^internal error ([0-9a-f]{12}): the head's log has what went wrong under this"
                + " id$").matcher(r.detail());
        assertTrue(id.matches(), "a generic detail with an id, not the exception: " + r.detail());
        assertFalse(r.body().contains("UNREADABLE") || r.body().contains("Exception"), r.body());

        String logged = log.toString(StandardCharsets.UTF_8);
        int line = logged.indexOf("internal error " + id.group(1) + " while GET /api/jobs/" + job);
        assertTrue(line >= 0, "the id is logged with the request: " + logged);
        String trace = logged.substring(logged.indexOf('\n', line) + 1);
        assertTrue(trace.contains("UNREADABLE") && trace.contains("\tat dev.cadre."),
                "the stack trace follows the id's line: " + logged);
    }

    private static void problemWithoutJetty(RawHttp r, String target) throws Exception {
        assertEquals("application/problem+json", r.headers().get("content-type"), target + ": " + r);
        assertEquals(r.status(), dev.cadre.protocol.MessageCodec.mapper().readTree(r.body()).path("status").asInt());
        assertFalse(r.detail().isBlank(), r.toString());
        assertNull(r.headers().get("server"), target + ": " + r.headers());
        for (String leak : List.of("Jetty", "12.", "<", target)) {
            assertFalse(r.body().contains(leak), target + " answered with '" + leak + "': " + r.body());
        }
    }
}
