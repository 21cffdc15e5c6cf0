package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A client that sees /api/events open has been subscribed to the feed, so it hears of whatever it does next: the
 * status page, and a script, submit once the stream is open and wait for the job's events.
 */
class EventStreamOpeningTest {
    @Test
    void theStreamAnswersOnlyOnceItsClientIsSubscribed() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT);
                Socket client = new Socket("127.0.0.1", server.web.port())) {
            // The feed subscribes under its own monitor: holding it keeps the stream's subscription waiting.
            Object feed = server.web.eventListener();
            synchronized (feed) {
                client.getOutputStream().write(("GET /api/events?" + ApiHandler.TOKEN_PARAMETER + "="
                        + server.users.restToken() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                awaitThreadBlockedOn(feed);
                // On loopback what the server wrote before it blocked is already there to read.
                client.setSoTimeout(300);
                assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read(),
                        "the stream answered before its client was subscribed");
            }
            client.setSoTimeout(10_000);
            String head = readThrough(client.getInputStream(), ": connected\n\n");
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
        }
    }

    private static void awaitThreadBlockedOn(Object monitor) {
        int hash = System.identityHashCode(monitor);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, false);
            if (Arrays.stream(threads).anyMatch(t -> t.getThreadState() == Thread.State.BLOCKED
                    && t.getLockInfo() != null && t.getLockInfo().getIdentityHashCode() == hash)) {
                return;
            }
            LockSupport.parkNanos(2_000_000);
        }
        throw new AssertionError("no server thread came to subscribe within 10 s");
    }

    private static String readThrough(InputStream in, String end) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.UTF_8).contains(end)) {
            int b = in.read();
            assertTrue(b >= 0, "the stream ended after " + read.toString(StandardCharsets.UTF_8));
            read.write(b);
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
