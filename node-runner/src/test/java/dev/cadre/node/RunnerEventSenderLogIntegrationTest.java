package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.RunnerEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node's log says about its heartbeats while its head's broker goes away: a heartbeat whose send failed is
 * dropped, not sent again, so nothing may say it is being sent again or was sent. The broker stops while heartbeats
 * are sent back to back until one of them was under way (the other one sent during the reconnection waits for it).
 */
class RunnerEventSenderLogIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_RESTARTS = 10;
    @TempDir
    Path dir;

    @Test
    void aHeartbeatWhoseSendFailedIsNotLoggedAsSentAgain() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        AtomicBoolean stop = new AtomicBoolean();
        try (RestartingBroker broker = new RestartingBroker(dir)) {
            RestartingBroker.NodeLink node = broker.node("node n1");
            RunnerEventSender sender = broker.closing(new RunnerEventSender(node.connection(), "n1",
                    Clock.systemUTC()));
            AtomicInteger sent = new AtomicInteger();
            Thread heartbeats = new Thread(() -> {
                while (!stop.get()) {
                    sender.send(new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("127.0.0.1"), 2, 1024, 0,
                            List.of(), Instant.now())).handle((v, e) -> null).join();
                    sent.incrementAndGet();
                }
            }, "test-heartbeats");
            heartbeats.start();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            for (int restarts = 0; restarts < MAX_RESTARTS && sender.failedSends() == 0; restarts++) {
                int before = sent.get();
                await("heartbeats sent before the broker stops", WAIT, () -> sent.get() >= before + 50);
                broker.restartSeenBy(node, WAIT);
            }
            assertTrue(sender.failedSends() > 0, "a heartbeat's send under way failed as the broker stopped, in "
                    + MAX_RESTARTS + " restarts");
            int atEnd = sent.get();
            // The failed one is over once the next ones go through.
            await("heartbeats sent after the restarts", WAIT, () -> sent.get() >= atEnd + 10);
            stop.set(true);
            heartbeats.join(WAIT.toMillis());
            String text = log.toString(StandardCharsets.UTF_8);
            assertFalse(text.contains("runner events sent after"), "a dropped heartbeat logged as sent:\n" + text);
            assertFalse(text.contains("sending them again"), "a dropped heartbeat logged as to be sent again:\n"
                    + text);
        } finally {
            stop.set(true);
            System.setErr(err);
        }
    }
}
