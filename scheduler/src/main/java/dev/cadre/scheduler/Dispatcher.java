package dev.cadre.scheduler;

import dev.cadre.broker.SendLinger;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobEventListener;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.NodeCommand;
import dev.cadre.scheduler.core.NodeCommandBatches;
import dev.cadre.scheduler.core.Outgoing;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the core's messages and publishes job and node events, persistently, on its own thread and in the order the
 * decisions were committed to SQLite. Callers hand over what a committed decision caused and go on: waiting for
 * the broker's journal here would hold the scheduler's lock for a disk sync per decision. Whatever is queued
 * when this thread catches up, and while jobs wait for room what comes in the next few milliseconds, goes out in
 * one broker transaction. A crash before the commit loses nothing:
 * SQLite's event outbox republishes the events and recovery resends node commands.
 *
 * <p>Events carry jobId, user and state as message properties so subscribers can narrow with selectors.
 */
final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Bounds memory when the broker is slower than the scheduler: callers then wait. */
    private static final int QUEUED_DECISIONS = 256;
    private static final int MESSAGES_PER_TRANSACTION = 10_000;
    /** Place-jobs per place-jobs message: as many as a node-runner takes in one transaction. */
    private static final int PLACEMENTS_PER_MESSAGE = 64;
    /** A message body longer than this is split (the broker takes at most MessageCodec.MAX_BYTES). */
    private static final int MAX_CHARS = MessageCodec.MAX_BYTES / 2;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    /** An event as published, for the listeners once its transaction commits. */
    private record Published(JobEvent event, String json) {
    }

    /** @param unlogged events kept in no outbox: job updates, joined parts, node changes */
    private record Batch(List<Outgoing> messages, List<JobEvent.JobStateChanged> events,
            List<JobEvent> unlogged, Runnable afterCommit) {
        int size() {
            return messages.size() + events.size() + unlogged.size();
        }
    }

    private final Session session;
    private final MessageProducer producer;
    private final Topic events;
    private final List<JobEventListener> listeners = new CopyOnWriteArrayList<>();
    /** One destination object per address: the client checks each new object with the broker (see ReplySender). */
    private final Map<String, Queue> queues = new HashMap<>();
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_DECISIONS);
    /** Set after each pass: whether jobs wait for room, so that what is sent may wait a little to share. */
    private volatile boolean backlogged;
    private final Consumer<Throwable> onFailure;
    /** How long a place-job may wait in its node's queue; see {@link #timeToLive}. */
    private final long placeJobMillis;
    private final Thread thread;
    private volatile boolean running = true;
    /** Batches handed over and not yet committed or failed; guarded by this. */
    private int unsent;

    /** @param nodeTimeout the scheduler's node timeout, which is how long a place-job may wait to be taken */
    Dispatcher(Connection connection, Duration nodeTimeout, Consumer<Throwable> onFailure) throws JMSException {
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        events = session.createTopic(Destinations.EVENTS);
        this.onFailure = onFailure;
        this.placeJobMillis = nodeTimeout.toMillis();
        thread = new Thread(this::run, "cadre-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues what one committed decision caused; afterCommit runs on the dispatcher's thread once the broker
     * has it all. Blocks only while the queue is full.
     */
    void send(List<Outgoing> messages, List<JobEvent.JobStateChanged> changes,
            List<JobEvent> unlogged, Runnable afterCommit) {
        synchronized (this) {
            unsent++;
        }
        try {
            queue.put(new Batch(List.copyOf(messages), List.copyOf(changes), List.copyOf(unlogged), afterCommit));
        } catch (InterruptedException e) {
            done(1);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing messages to the dispatcher", e);
        }
    }

    /** From now on, hands the listener every event once the broker has committed it (see JobEventListener). */
    void addListener(JobEventListener listener) {
        listeners.add(listener);
    }

    /**
     * While jobs wait for room, what is handed over waits up to {@link #LINGER_NANOS} for more to go in the same
     * transaction: their placements and events then share messages, and the journal syncs once for them all. A job
     * placed at once on an idle cluster is sent at once.
     */
    void lingerWhileBacklogged(boolean backlogged) {
        this.backlogged = backlogged;
    }

    /** Waits until everything queued so far is sent or has failed; false if the wait ran out. */
    boolean drain(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (unsent > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return true;
    }

    private void run() {
        List<Batch> taken = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Batch first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                SendLinger.gather(queue, taken, Batch::size, MESSAGES_PER_TRANSACTION - first.size(),
                        backlogged ? LINGER_NANOS : 0);
                sendInOneTransaction(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                done(taken.size());
                taken.clear();
            }
        }
    }

    private synchronized void done(int batches) {
        unsent -= batches;
        notifyAll();
    }

    private void sendInOneTransaction(List<Batch> batches) {
        List<Published> published = new ArrayList<>();
        try {
            List<Outgoing> messages = new ArrayList<>();
            for (Batch b : batches) {
                messages.addAll(b.messages());
                publish(b.events(), published);
                publish(b.unlogged(), published);
            }
            for (Outgoing o : NodeCommandBatches.combine(messages, PLACEMENTS_PER_MESSAGE)) {
                send(o);
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            rollbackQuietly();
            LOG.error("could not send {} decisions' messages to the broker", batches.size(), e);
            onFailure.accept(e);
            return;
        }
        tellListeners(published);
        for (Batch b : batches) {
            b.afterCommit().run();
        }
    }

    private void tellListeners(List<Published> published) {
        for (JobEventListener listener : listeners) {
            for (Published p : published) {
                try {
                    listener.published(p.event(), p.json());
                } catch (RuntimeException e) {
                    // The events are committed: a failing listener must not fail the dispatcher.
                    LOG.warn("an event listener failed: {}", e.toString(), e);
                }
            }
        }
    }

    private void send(Outgoing o) throws JMSException {
        String text = MessageCodec.encode(o.message());
        List<Outgoing> halves = text.length() > MAX_CHARS ? NodeCommandBatches.split(o) : List.of(o);
        if (halves.size() > 1) {
            for (Outgoing half : halves) {
                send(half);
            }
            return;
        }
        TextMessage m = session.createTextMessage(text);
        m.setStringProperty("type", MessageCodec.typeName(o.message()));
        producer.send(queue(o.destination()), m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY,
                timeToLive(o));
    }

    /**
     * Place-jobs expire after the node timeout; every other command lives until taken (0). A place-job still queued
     * then is for a node that was away: had it stayed away for the timeout, the head has closed the attempt
     * (NODE_FAIL, maybe requeued elsewhere), and a node coming back would start the script only to get its kill
     * right behind it, running the job's side effects for an attempt that sacct says ended before it started.
     * Expiry in the broker does what the node could not: it never sees the place-job (Artemis moves it to
     * cadre.dead-letters, from the queue or from the node's client on receipt). Nothing else waits for a late place-job: the head fails an attempt whose place-job
     * lapsed once its coordinator's heartbeats go on without it (LostAttempts), and a recovered head sends the
     * place-jobs of unconfirmed attempts again, each with a new time to live. A place-job sent shortly before its
     * node is declared DOWN can still outlive the DOWN by up to the timeout; its kill-job follows it in the queue.
     * The node's clock counts too (the client checks expiry on receipt): the head warns of a node far off its own.
     */
    private long timeToLive(Outgoing o) {
        return o.message() instanceof NodeCommand.PlaceJob || o.message() instanceof NodeCommand.PlaceJobs
                ? placeJobMillis : Message.DEFAULT_TIME_TO_LIVE;
    }

    private Queue queue(String name) throws JMSException {
        Queue q = queues.get(name);
        if (q == null) {
            q = session.createQueue(name);
            queues.put(name, q);
        }
        return q;
    }

    /**
     * job-state-changed events, logged in SQLite's outbox, and the others (job-updated, array-part-joined,
     * node-state-changed, node-deleted), which no outbox keeps.
     */
    private void publish(List<? extends JobEvent> changes, List<Published> published) throws JMSException {
        for (JobEvent e : changes) {
            TextMessage m = session.createTextMessage(encode(e, published));
            EventProperties.set(m, e);
            producer.send(events, m);
        }
    }

    private static String encode(JobEvent e, List<Published> published) {
        String json = MessageCodec.encode(e);
        published.add(new Published(e, json));
        return json;
    }

    private void rollbackQuietly() {
        try {
            session.rollback();
        } catch (JMSException e) {
            LOG.debug("rollback after a failed send: {}", e.getMessage());
        }
    }

    /** Sends what is queued (waiting up to 10 s), then stops. */
    @Override
    public void close() throws JMSException, InterruptedException {
        if (!drain(Duration.ofSeconds(10))) {
            LOG.warn("stopping with messages unsent; the event outbox and recovery send them at the next start");
        }
        running = false;
        thread.interrupt();
        thread.join(5_000);
        session.close();
    }
}
