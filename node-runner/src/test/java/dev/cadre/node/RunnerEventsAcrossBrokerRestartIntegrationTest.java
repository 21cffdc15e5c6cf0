package dev.cadre.node;

import static dev.cadre.node.JobSupervisorIntegrationTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.RunnerEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's runner events while the head's broker stops and starts again on the same port, from its journal: the
 * node's connection (made as nodes make it, reconnecting) has sends under way and queued when the broker goes.
 * Every event must reach the broker, in order; a failed send that the broker had after all may repeat a batch.
 */
class RunnerEventsAcrossBrokerRestartIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Events handed over and not yet sent: enough that a send is always under way, and more queue behind it. */
    private static final int WINDOW = 16;
    private static final int MAX_RESTARTS = 10;
    @TempDir
    Path dir;
    private RunnerEventSender sender;

    @Test
    void everyEventHandedOverWhileTheBrokerRestartsArrivesInOrder() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        try (RestartingBroker broker = new RestartingBroker(dir)) {
            RestartingBroker.NodeLink node = broker.node("node n1");
            sender = broker.closing(new RunnerEventSender(node.connection(), "n1", Clock.systemUTC()));

            Map<Long, CompletableFuture<Void>> futures = new ConcurrentHashMap<>();
            AtomicInteger handedOver = new AtomicInteger();
            Thread producer = new Thread(() -> handOver(futures, handedOver, stop), "test-producer");
            producer.start();

            // A stop finds a send under way most of the time, not always: the broker may answer it before it goes.
            for (int restarts = 0; restarts < MAX_RESTARTS && sender.failedSends() == 0; restarts++) {
                int before = handedOver.get();
                await("events sent before the broker stops", WAIT, () -> doneCount(futures) >= before + 300);
                broker.restartSeenBy(node, WAIT);
                int atRestart = handedOver.get();
                await("events sent after the restart", WAIT, () -> handedOver.get() >= atRestart + 300);
            }
            assertTrue(sender.failedSends() > 0, "a send under way failed as the broker stopped, in "
                    + MAX_RESTARTS + " restarts");
            stop.set(true);
            producer.join(WAIT.toMillis());
            await("every event's send to end", WAIT, () -> doneCount(futures) == futures.size());

            List<Long> failed = futures.entrySet().stream().filter(e -> e.getValue().isCompletedExceptionally())
                    .map(Map.Entry::getKey).sorted().toList();
            List<Long> failedEnds = failed.stream().filter(id -> !isHeartbeat(id)).toList();
            assertEquals(List.of(), failedEnds, "no job's event failed: each was sent again until the broker had it");

            RunnerEventLog log = new RunnerEventLog(broker.head());
            long last = handedOver.get();
            await("every event at the head", WAIT, () -> idsOf(log.events).containsAll(expectedIds(last, failed)));
            List<Long> arrived = log.events.stream().map(RunnerEventsAcrossBrokerRestartIntegrationTest::id).toList();
            // A dropped heartbeat may have reached the broker before its send failed, or not.
            List<Long> firstArrivals = new LinkedHashSet<>(arrived).stream().filter(id -> !failed.contains(id))
                    .toList();
            assertEquals(expectedIds(last, failed), firstArrivals,
                    "each event first arrives after the one handed over before it");
            Map<Long, Long> heartbeatCopies = arrived.stream()
                    .filter(RunnerEventsAcrossBrokerRestartIntegrationTest::isHeartbeat)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            assertTrue(heartbeatCopies.values().stream().allMatch(n -> n == 1),
                    "a heartbeat whose send failed is never sent again: " + heartbeatCopies);
        } finally {
            stop.set(true);
        }
    }

    /** Hands over events 1, 2, ... keeping {@link #WINDOW} unsent; every tenth is a heartbeat. */
    private void handOver(Map<Long, CompletableFuture<Void>> futures, AtomicInteger handedOver, AtomicBoolean stop) {
        Deque<CompletableFuture<Void>> window = new ArrayDeque<>();
        for (long id = 1; !stop.get(); id++) {
            if (window.size() == WINDOW) {
                // Sent or failed: either way the next one may go.
                window.removeFirst().handle((v, e) -> null).join();
            }
            CompletableFuture<Void> sent = sender.send(event(id));
            futures.put(id, sent);
            window.addLast(sent);
            handedOver.set((int) id);
        }
    }

    private static boolean isHeartbeat(long id) {
        return id % 10 == 0;
    }

    private static RunnerEvent event(long id) {
        Instant now = Instant.now();
        if (isHeartbeat(id)) {
            // The cores tell the heartbeats apart.
            return new RunnerEvent.NodeHeartbeat("n1", "host1", List.of("127.0.0.1"), (int) id, 1024, 0, List.of(),
                    now);
        }
        return id % 2 == 1 ? new RunnerEvent.RunnerRunning(id, 1, "n1", now)
                : new RunnerEvent.RunnerFinished(id, 1, "n1", 0, 0, null, now, null);
    }

    private static long id(RunnerEvent e) {
        if (e instanceof RunnerEvent.NodeHeartbeat hb) {
            return hb.cores();
        }
        if (e instanceof RunnerEvent.RunnerRunning r) {
            return r.jobId();
        }
        return ((RunnerEvent.RunnerFinished) e).jobId();
    }

    private static Set<Long> idsOf(List<RunnerEvent> events) {
        return events.stream().map(RunnerEventsAcrossBrokerRestartIntegrationTest::id).collect(Collectors.toSet());
    }

    /** 1 to last, less the heartbeats that were dropped. */
    private static List<Long> expectedIds(long last, List<Long> failed) {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= last; id++) {
            if (!failed.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static long doneCount(Map<Long, CompletableFuture<Void>> futures) {
        return futures.values().stream().filter(CompletableFuture::isDone).count();
    }
}
