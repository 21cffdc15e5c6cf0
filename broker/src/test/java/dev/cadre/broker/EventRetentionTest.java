package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A durable subscription on cadre.events whose owner never comes back holds the events of the retention only, on disk
 * too, while a subscriber that is there gets every event; Cadre's own queues keep their messages without expiry.
 */
class EventRetentionTest {
    private static final Duration RETENTION = Duration.ofSeconds(10);
    private static final int EVENTS = 3_000;
    private static final int EVENT_BYTES = 1_024;
    private static final int BATCH = 100;
    private static final long WAIT_MS = 60_000;
    private static final long POLL_MS = 50;
    @TempDir
    Path dir;

    @Test
    void anAbandonedDurableSubscriptionLosesEventsPastTheRetentionWhileALiveOneGetsEveryEvent() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        // 8 MiB for every address, so that the events address pages (past its 1 MiB) as it would on a long run.
        var limits = new BrokerLimits(8L << 20, BrokerLimits.DEFAULT_CLIENT_DISK_PERCENT, RETENTION);
        try (EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users,
                limits)).start();
                Connection scheduler = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "retention");
                Connection live = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                        "retention", "live")) {
            try (Connection gone = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                    "retention", "gone")) {
                Session s = gone.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic(Destinations.EVENTS), "events").close();
            }
            Session listening = live.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            listening.createDurableConsumer(listening.createTopic(Destinations.EVENTS), "events")
                    .setMessageListener(m -> seen.add(sequence(m)));
            live.start();

            // Batches of 100, one journal sync each: one send at a time took a loaded CI machine past the retention.
            Session s = scheduler.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer events = s.createProducer(s.createTopic(Destinations.EVENTS));
            events.setDeliveryMode(DeliveryMode.PERSISTENT);
            long paged = 0;
            for (int i = 0; i < EVENTS; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[EVENT_BYTES]);
                m.setIntProperty("seq", i);
                events.send(m);
                if (i % BATCH == BATCH - 1) {
                    s.commit();
                    // The peak: pages of the first batches may expire before the last is sent.
                    paged = Math.max(paged, bytesUnder(dir.resolve("broker/paging")));
                }
            }
            s.commit();
            long backlog = broker.messagesOn("gone.events");
            assertTrue(backlog > 0, "the abandoned subscription collected events: " + backlog);
            assertTrue(paged > (1L << 20), "the events were paged to disk: " + paged + " bytes");

            await(() -> seen.size() >= EVENTS, () -> "the live subscriber got " + seen.size() + " events");
            for (int i = 0; i < EVENTS; i++) {
                assertEquals(i, seen.get(i), "the live subscriber gets every event, in order");
            }
            await(() -> broker.messagesOn("gone.events") == 0,
                    () -> broker.messagesOn("gone.events") + " events are still kept for the abandoned subscription");
            long peak = paged;
            await(() -> bytesUnder(dir.resolve("broker/paging")) < peak / 4,
                    () -> bytesUnder(dir.resolve("broker/paging")) + " bytes of pages are left of " + peak);
            assertEquals(0, broker.messagesOn("gone.events"), "the subscription itself stays, empty, for its owner");

            // The retention is the events' alone: a submission keeps no expiry however long it waits.
            MessageProducer submit = s.createProducer(s.createQueue(Destinations.SUBMIT));
            submit.setDeliveryMode(DeliveryMode.PERSISTENT);
            submit.send(s.createTextMessage("{}"));
            s.commit();
            Message submission = s.createConsumer(s.createQueue(Destinations.SUBMIT)).receive(WAIT_MS);
            assertNotNull(submission);
            s.commit();
            assertEquals(0, submission.getJMSExpiration(), "a submission never expires");
        }
    }

    private static int sequence(Message m) {
        try {
            return m.getIntProperty("seq");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes of the files under root; 0 where root is not there (yet, or any more). */
    private static long bytesUnder(Path root) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(root)) {
                return 0;
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException | UncheckedIOException e) {
                // A page file or folder deleted while walking: look again.
                if (attempt == 10) {
                    throw new IllegalStateException("could not measure " + root, e);
                }
            }
        }
    }

    /**
     * Waits until the condition holds, at most WAIT_MS: a checker looks every POLL_MS (the broker's expiry and page
     * clean-up say nothing when they are done), and this thread waits for it to say the condition holds.
     */
    private static void await(BooleanSupplier condition, Supplier<String> failure) throws Exception {
        CompletableFuture<Void> met = new CompletableFuture<>();
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
        try {
            checker.scheduleWithFixedDelay(() -> {
                try {
                    if (condition.getAsBoolean()) {
                        met.complete(null);
                    }
                } catch (RuntimeException e) {
                    met.completeExceptionally(e);
                }
            }, 0, POLL_MS, TimeUnit.MILLISECONDS);
            met.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(failure.get());
        } finally {
            checker.shutdownNow();
        }
    }
}
