package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients can make the broker hold is bounded: sizes, expiry, and the settings that set them. */
class BrokerLimitsTest {
    private static final long WAIT_MS = 10_000;
    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private Connection admin;

    @BeforeEach
    void start() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        admin = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "limits-test");
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        broker.close();
    }

    @Test
    void theEnvironmentSetsTheMemoryAndDiskLimitsAndBadValuesAreNamed() {
        var limits = BrokerLimits.fromEnvironment(Map.of(BrokerLimits.MEMORY_ENV, "512m",
                BrokerLimits.CLIENT_DISK_ENV, "90"));
        assertEquals(512L << 20, limits.globalMaxBytes());
        assertEquals(90, limits.clientDiskPercent());
        assertEquals(2L << 30, BrokerLimits.fromEnvironment(Map.of(BrokerLimits.MEMORY_ENV, "2G")).globalMaxBytes());
        assertEquals(BrokerLimits.defaults(), BrokerLimits.fromEnvironment(Map.of()));
        var bad = assertThrows(IllegalArgumentException.class,
                () -> BrokerLimits.fromEnvironment(Map.of(BrokerLimits.MEMORY_ENV, "lots")));
        assertEquals("CADRE_BROKER_MEMORY must be a size of at least 1m, such as 512m or 2g, not 'lots'",
                bad.getMessage());
        var small = assertThrows(IllegalArgumentException.class,
                () -> BrokerLimits.fromEnvironment(Map.of(BrokerLimits.MEMORY_ENV, "10k")));
        assertEquals("CADRE_BROKER_MEMORY must be a size of at least 1m, such as 512m or 2g, not '10k'",
                small.getMessage());
        var disk = assertThrows(IllegalArgumentException.class,
                () -> BrokerLimits.fromEnvironment(Map.of(BrokerLimits.CLIENT_DISK_ENV, "99")));
        assertEquals("CADRE_BROKER_CLIENT_DISK_PERCENT must be a whole percentage from 1 to 98, not '99'",
                disk.getMessage());
        var notANumber = assertThrows(IllegalArgumentException.class,
                () -> BrokerLimits.fromEnvironment(Map.of(BrokerLimits.CLIENT_DISK_ENV, "most")));
        assertEquals("CADRE_BROKER_CLIENT_DISK_PERCENT must be a whole percentage from 1 to 98, not 'most'",
                notANumber.getMessage());
    }

    @Test
    void theEnvironmentSetsHowLongEventsWaitForOfflineSubscribers() {
        assertEquals(BrokerLimits.DEFAULT_EVENT_RETENTION, BrokerLimits.defaults().eventRetention());
        assertEquals(Duration.ofHours(12), retention("12h"));
        assertEquals(Duration.ofDays(30), retention(" 30D "));
        assertEquals(Duration.ofMinutes(90), retention("90m"));
        assertEquals(Duration.ofSeconds(45), retention("45s"));
        assertEquals(Duration.ofSeconds(3600), retention("3600"));
        String accepted = "CADRE_BROKER_EVENT_RETENTION must be a duration from 1s to 365d: seconds (3600) or a"
                + " number with s, m, h or d (90m, 12h, 30d), not ";
        for (String bad : new String[] {"soon", "0", "-5h", "400d", "366d"}) {
            var refused = assertThrows(IllegalArgumentException.class, () -> retention(bad));
            assertEquals(accepted + "'" + bad + "'", refused.getMessage());
        }
        assertEquals(Duration.ofDays(365), retention("365d"));
    }

    private static Duration retention(String value) {
        return BrokerLimits.fromEnvironment(Map.of(BrokerLimits.EVENT_RETENTION_ENV, value)).eventRetention();
    }

    @Test
    void deadLettersAndRepliesExpireAndAnExpiredDeadLetterIsDropped() throws Exception {
        Session s = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
        long now = System.currentTimeMillis();
        send(s, s.createQueue(Destinations.DEAD_LETTERS), 10, 0);
        Message dead = s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS)).receive(WAIT_MS);
        assertNotNull(dead);
        assertExpiresAround(now + BrokerLimits.DEAD_LETTER_EXPIRY.toMillis(), dead.getJMSExpiration());
        TemporaryQueue replies = s.createTemporaryQueue();
        send(s, replies, 10, 0);
        Message reply = s.createConsumer(replies).receive(WAIT_MS);
        assertNotNull(reply);
        assertExpiresAround(now + BrokerLimits.REPLY_EXPIRY.toMillis(), reply.getJMSExpiration());
        // An expired dead letter goes nowhere (not back onto the dead letters, round and round).
        send(s, s.createQueue(Destinations.DEAD_LETTERS), 10, 1);
        long expired = System.nanoTime() + Duration.ofMillis(20).toNanos();
        while (System.nanoTime() < expired) {
            Thread.onSpinWait();
        }
        // Moved back onto the dead letters it would come again here, without a time limit of its own.
        assertEquals(null, s.createConsumer(s.createQueue(Destinations.DEAD_LETTERS)).receive(2_000),
                "the expired dead letter is gone");
    }

    @Test
    void aTemporaryQueueNobodyReadsRefusesMoreOnceFull() throws Exception {
        Session s = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue unread = s.createTemporaryQueue();
        int sent = 0;
        JMSException refused = null;
        // Small messages: a large message counts against the limit with its headers only.
        int size = 64 << 10;
        long most = BrokerLimits.TEMPORARY_QUEUE_BYTES / size;
        while (refused == null && sent < 2 * most) {
            try {
                send(s, unread, size, 0);
                sent++;
            } catch (JMSException e) {
                refused = e;
            }
        }
        assertNotNull(refused, "refused after " + sent + " messages");
        assertTrue(sent <= most, "took " + sent + " messages of " + size + " bytes");
    }

    private static void assertExpiresAround(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) < Duration.ofMinutes(1).toMillis(),
                "expires at " + actual + ", expected about " + expected);
    }

    private static void send(Session s, Destination to, int size, long ttlMillis) throws JMSException {
        MessageProducer p = s.createProducer(to);
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        p.setTimeToLive(ttlMillis);
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[size]);
        p.send(m);
        p.close();
    }
}
