package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node-runner whose command thread dies, on a real broker: its heartbeats stop, so that the head marks the node
 * down instead of sending it work that nobody takes.
 */
class CommandThreadFailureIntegrationTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    @TempDir
    Path dir;
    private InVmBroker broker;
    private NodeRunner runner;

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aCommandThreadKilledByAnErrorStopsTheHeartbeats() throws Exception {
        broker = InVmBroker.start(dir.resolve("broker"));
        AtomicLong lastHeartbeat = new AtomicLong();
        Session listen = broker.head().createSession(false, Session.AUTO_ACKNOWLEDGE);
        listen.createConsumer(listen.createQueue(Destinations.RUNNER_EVENTS)).setMessageListener(m -> {
            try {
                if (MessageCodec.decode(((TextMessage) m).getText(), RunnerEvent.class)
                        instanceof RunnerEvent.NodeHeartbeat) {
                    lastHeartbeat.set(System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        broker.head().start();
        runner = new NodeRunner(broker.node(), new NodeRunner.Settings(dir.resolve("state"), "host1",
                new NodeResources(2, 1024, 0, List.of("127.0.0.1")), HEARTBEAT, Duration.ofSeconds(1), "cadre",
                null), Clock.systemUTC()).start();
        Thread commands = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("cadre-node-commands")).findFirst().orElseThrow();
        await("heartbeats", Duration.ofSeconds(10), () -> lastHeartbeat.get() != 0);

        // What the JVM does with an Error that ends the thread; no command can be made to throw one for real.
        commands.getUncaughtExceptionHandler().uncaughtException(commands, new OutOfMemoryError("test"));

        await("the command thread to end", Duration.ofSeconds(10), () -> !commands.isAlive());
        await("heartbeats to stop for 10 of their intervals", Duration.ofSeconds(10),
                () -> System.nanoTime() - lastHeartbeat.get() > HEARTBEAT.multipliedBy(10).toNanos());
    }
}
