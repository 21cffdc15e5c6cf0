package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.BrokerUsers;
import dev.cadre.broker.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching consumer against a real embedded broker: its byte bound, large messages handed over whole, and what
 * an Error does.
 */
class BatchingConsumerTest {
    private static final String QUEUE = "cadre.test.batching";
    private static final int MIB = 1 << 20;
    @TempDir
    Path dir;
    EmbeddedBroker broker;
    Connection connection;
    final BrokerUsers users = BrokerUsers.generate();

    /** Records each batch's body sizes, or fails every batch with the given Error. */
    static final class Recording extends BatchingConsumer {
        final List<List<Long>> batches = new CopyOnWriteArrayList<>();
        final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
        /** A permit per message handled, released once its body is stored: the tests wait on it. */
        final Semaphore handled = new Semaphore(0);
        private final Error failure;

        Recording(Connection connection, Error failure) throws Exception {
            super(connection, QUEUE, 500, "test-batching");
            this.failure = failure;
        }

        @Override
        void handle(Session session, List<Message> batch) {
            if (failure != null) {
                throw failure;
            }
            for (Message m : batch) {
                try {
                    BytesMessage b = (BytesMessage) m;
                    byte[] body = new byte[(int) b.getBodyLength()];
                    b.reset();
                    b.readBytes(body);
                    bodies.add(body);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            }
            batches.add(batch.stream().map(BatchingConsumer::bodySize).toList());
            handled.release(batch.size());
        }

        @Override
        void fatal(Throwable e) {
            fatal.complete(e);
        }

        /** Waits up to 30 s for this many messages handled in all, without spinning on one of the two cores. */
        boolean awaitHandled(int count) throws InterruptedException {
            return handled.tryAcquire(count, 30, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void start() throws Exception {
        broker = new EmbeddedBroker(new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users)).start();
        connection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "batching-test");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    @Test
    void aBatchStopsGatheringOnceItsBodiesPassTheByteLimit() throws Exception {
        int count = 40;
        send(count, MIB);
        try (Recording consumer = new Recording(connection, null)) {
            consumer.start();
            assertTrue(consumer.awaitHandled(count), "every message handled within 30 s");
            for (List<Long> batch : consumer.batches) {
                long bytes = batch.stream().mapToLong(Long::longValue).sum();
                assertTrue(bytes <= BatchingConsumer.MAX_BATCH_BYTES + MIB, "a batch of " + bytes + " bytes");
            }
        }
    }

    @Test
    void largeMessagesReachTheHandlerWholeFromTheirFirstByte() throws Exception {
        int count = 6;
        int size = 300_000;
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            for (int i = 0; i < count; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body(i, size));
                // Every other one small, so that batches would mix them.
                p.send(i % 2 == 0 ? m : small(s, i));
            }
        }
        try (Recording consumer = new Recording(connection, null)) {
            consumer.start();
            assertTrue(consumer.awaitHandled(count), "every message handled within 30 s");
            assertEquals(count, consumer.bodies.size(), "every message handled");
            for (int i = 0; i < count; i++) {
                byte[] expected = i % 2 == 0 ? body(i, size) : body(i, 10);
                assertArrayEquals(expected, consumer.bodies.get(i), "message " + i + " whole, from its first byte");
            }
        }
    }

    /** Bytes that tell where in which message they are: a body read from the wrong place shows. */
    private static byte[] body(int message, int size) {
        byte[] body = new byte[size];
        for (int j = 0; j < size; j++) {
            body[j] = (byte) (message * 31 + j / 1000);
        }
        return body;
    }

    private static BytesMessage small(Session s, int i) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(body(i, 10));
        return m;
    }

    @Test
    void anErrorTakesTheFatalPathAndLeavesTheMessageQueued() throws Exception {
        send(1, 100);
        OutOfMemoryError error = new OutOfMemoryError("as from a body too large for the heap");
        Recording consumer = new Recording(connection, error);
        consumer.start();
        assertSame(error, consumer.fatal.get(10, TimeUnit.SECONDS), "the Error reaches the fatal path");
        consumer.close();
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message again = s.createConsumer(s.createQueue(QUEUE)).receive(10_000);
            assertNotNull(again, "the message is still queued for the restarted head");
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"), "its failed delivery counted");
        }
    }

    private void send(int count, int size) throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[size]);
                p.send(m);
            }
        }
    }
}
