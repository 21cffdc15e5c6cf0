package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A producer that paces itself with {@link SseStream#whenDrained} against real Jetty and a client that stops
 * reading: it waits with little queued instead of holding everything it could produce, and goes on once the client
 * reads again. This is how a followed file's output reaches a slow client.
 */
class SseStreamPacingTest {
    private static final int CHUNK = 64 * 1024;
    private static final long TOTAL = 64L * 1024 * 1024;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newSingleThreadExecutor();
    private final Server server = new Server();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong mostQueued = new AtomicLong();
    /** A permit per chunk produced, for the test to wait on. */
    private final Semaphore progress = new Semaphore(0);

    @AfterEach
    void stop() throws Exception {
        server.stop();
        timers.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void aPacedProducerWaitsForAClientThatDoesNotReadAndGoesOnWhenItDoes() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                SseStream sse = SseStream.open(response, callback, timers);
                workers.execute(() -> produce(sse));
                return true;
            }
        });
        server.start();
        try (Socket client = new Socket("127.0.0.1", connector.getLocalPort())) {
            client.getOutputStream().write("GET /follow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            long stalledAt = awaitStall();
            assertTrue(stalledAt < TOTAL / 2, "the producer stopped while the client read nothing: " + stalledAt);
            assertTrue(mostQueued.get() <= SseStream.DRAINED_CHARS + 2 * CHUNK,
                    "at most a little over the drained mark waits in the queue: " + mostQueued.get());

            long read = 0;
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = in.read(buffer)) > 0;) {
                read += n;
            }
            assertEquals(TOTAL, produced.get(), "everything was produced once the client read");
            assertTrue(read > TOTAL, "and reached the client: " + read + " bytes");
        }
    }

    private void produce(SseStream sse) {
        if (produced.get() >= TOTAL) {
            sse.finish();
            return;
        }
        sse.event(null, "output", "x".repeat(CHUNK));
        produced.addAndGet(CHUNK);
        progress.release();
        mostQueued.accumulateAndGet(sse.queuedChars(), Math::max);
        sse.whenDrained(() -> workers.execute(() -> produce(sse)));
    }

    /** How much was produced once no chunk came for a second; fails after 30 s of production. */
    private long awaitStall() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            progress.drainPermits();
            if (!progress.tryAcquire(1, TimeUnit.SECONDS)) {
                return produced.get();
            }
        }
        throw new AssertionError("the producer never waited: " + produced.get() + " chars produced");
    }
}
