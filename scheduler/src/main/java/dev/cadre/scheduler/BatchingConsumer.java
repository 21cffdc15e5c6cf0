package dev.cadre.scheduler;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a queue in a transacted session, a batch at a time: whatever is waiting (up to the batch size)
 * is handled together and acknowledged by one commit after it is persisted. A failure rolls the batch back
 * for redelivery, one message to a batch, so that one bad message costs no other its handling; the broker
 * dead-letters a message after repeated failures. A failure of the database's file or disk is no message's fault:
 * the batch is held and handled again until it can be stored ({@link StorageOutage}). A batch also ends once its messages' bodies pass
 * {@link #MAX_BATCH_BYTES}, so that a queue of large messages cannot take the heap. An Error (out of memory, say) is
 * handed to {@link #fatal}: the thread must not die silently while the rest of the head runs on.
 */
abstract class BatchingConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingConsumer.class);
    private final Session session;
    private final MessageConsumer consumer;
    /** The most bytes of message bodies a batch gathers; the first message is taken whatever its size. */
    static final long MAX_BATCH_BYTES = 8L << 20;
    private final int batchSize;
    private final Thread thread;
    private volatile boolean running = true;
    private final StorageOutage outage;

    BatchingConsumer(Connection connection, String queue, int batchSize, String threadName) throws JMSException {
        this.session = connection.createSession(true, Session.SESSION_TRANSACTED);
        this.consumer = session.createConsumer(session.createQueue(queue));
        this.batchSize = batchSize;
        this.thread = new Thread(this::run, threadName);
        this.outage = new StorageOutage(threadName);
    }

    void start() {
        thread.start();
    }

    /** Handles a batch; returning normally means it is persisted and may be acknowledged. */
    abstract void handle(Session session, List<Message> batch) throws Exception;

    /**
     * Called when handling a batch failed, before it is rolled back for redelivery: whatever was gathered for
     * it must go, or the redelivered batch would answer its requests a second time.
     */
    void abandon() {
    }

    /**
     * Called once when the consumer cannot go on (an Error), after which it stops; the process is to exit and
     * restart, as when the scheduler cannot persist its state. By default only logs.
     */
    void fatal(Throwable e) {
        LOG.error("{} stopped", thread.getName(), e);
    }

    /** A message's body size as the client holds it (large messages included, before they are read), else 0. */
    static long bodySize(Message m) {
        return m instanceof ActiveMQMessage a ? a.getCoreMessage().getBodySize() : 0;
    }

    private static boolean isLarge(Message m) {
        return m instanceof ActiveMQMessage a && a.getCoreMessage().isLargeMessage();
    }

    private void run() {
        // After a failed batch its messages come back one to a batch, so that only the one that fails again is
        // retried until the broker dead-letters it, and the others are handled.
        int alone = 0;
        while (running) {
            try {
                Message first = consumer.receive(200);
                if (first == null) {
                    continue;
                }
                List<Message> batch = new ArrayList<>();
                batch.add(first);
                int limit = alone > 0 ? 1 : batchSize;
                alone = Math.max(0, alone - 1);
                long bytes = bodySize(first);
                Message next = first;
                // A large message ends the batch: receiving another before its body is read loses the body's start
                // (a large BytesMessage came to handle() without its first 100 KiB).
                while (batch.size() < limit && bytes < MAX_BATCH_BYTES && !isLarge(next)
                        && (next = consumer.receiveNoWait()) != null) {
                    batch.add(next);
                    bytes += bodySize(next);
                }
                alone = Math.max(alone, handleHeld(batch) ? 0 : batch.size());
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("consumer error on {}: {}", thread.getName(), e.toString());
                    pause();
                }
            } catch (Error e) {
                stopOn(e);
                return;
            }
        }
    }

    /**
     * Handles the batch and commits it; a failure of the database's file or disk keeps the batch (nothing
     * acknowledged, nothing rolled back) and handles it again once the write goes through, however long that takes.
     * Any other failure rolls it back for redelivery, its delivery counted.
     *
     * @return whether it was committed; false if rolled back, or left to the broker as the consumer stops
     */
    private boolean handleHeld(List<Message> batch) throws JMSException {
        while (true) {
            try {
                handle(session, batch);
                session.commit();
                outage.over();
                return true;
            } catch (Exception e) {
                abandon();
                if (outage.waitOut(e, () -> running)) {
                    continue;
                }
                if (!running) {
                    // Closing the session returns the batch uncommitted: no failed delivery is counted for it.
                    return false;
                }
                LOG.error("batch of {} failed; rolling back for redelivery", batch.size(), e);
                session.rollback();
                return false;
            }
        }
    }

    private void stopOn(Error e) {
        running = false;
        try {
            abandon();
            // Back on the queue, its delivery counted: a message that kills the head each time it is read is
            // dead-lettered after its attempts.
            session.rollback();
        } catch (Throwable ignored) {
            // The process is going down; the broker redelivers what was not committed.
        }
        fatal(e);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes no new batch and tries none again, without waiting: a batch being handled ends committed only if its
     * handling goes through. Closing waits for the thread.
     */
    void stop() {
        running = false;
    }

    @Override
    public void close() throws Exception {
        stop();
        thread.join(5_000);
        session.close();
    }
}
