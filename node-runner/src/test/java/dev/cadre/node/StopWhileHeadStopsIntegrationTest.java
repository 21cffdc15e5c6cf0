package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cadre.protocol.Destinations;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cadre node} stopped (SIGTERM) while its head stops too: the runner's stop leaves a session's close waiting
 * for the broker ({@link SessionClose#within}), which holds the connection's lock, and the connection's close then
 * waited for that lock for minutes, past systemd's stop timeout. {@link SessionClose#stop} (the shutdown hook's) ends
 * within the runner's stop deadline. The runner here is what a real one's stop did in that case (its command
 * session's close left waiting), since the moment the head goes within a real runner's stop cannot be chosen.
 */
class StopWhileHeadStopsIntegrationTest {
    /** The runner's stop deadline (5 s), the wait after the connection is given up, and a little. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(9);
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    @Test
    void aNodeStoppedWhileItsHeadStopsExitsWithinTheStopDeadline() throws Exception {
        try (RestartingBroker broker = new RestartingBroker(dir)) {
            RestartingBroker.NodeLink link = broker.node("node n1");
            Session commands = link.connection().createSession(true, Session.SESSION_TRANSACTED);
            commands.createConsumer(commands.createQueue(Destinations.nodeQueue("n1")));
            broker.stop();
            await("the node to notice the broker is gone", WAIT, link.lost()::get);

            // As cadre node's shutdown hook does, on a thread of its own: the stop must end within the bound.
            ExecutorService hook = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "test-stop");
                t.setDaemon(true);
                return t;
            });
            Future<Void> stopped = hook.submit(() -> {
                SessionClose.stop(() -> SessionClose.within(commands, "node command", Duration.ofSeconds(2)),
                        link.connection());
                return null;
            });
            try {
                stopped.get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                fail("the stop still waits for the broker after " + STOP_BOUND);
            } finally {
                hook.shutdown();
            }
        }
    }
}
