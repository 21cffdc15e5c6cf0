package dev.cadre.node;

import dev.cadre.broker.SendLinger;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RunnerEvent;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a node's runner events, in the order they were handed over, from one thread. What has queued up while a
 * send was under way, and while busy what comes in the next few milliseconds ({@link SendLinger}), goes out as one
 * runner-events message: at a high job rate the starts and ends of many jobs then cost the broker one durable
 * message, one journal record and one delivery, instead of one each. A lone event goes out as itself. Each event's
 * future completes once the broker has it durably, or fails with the reason.
 */
final class RunnerEventSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerEventSender.class);
    /** Events per message; far below the protocol's limit so that a message stays small. */
    static final int EVENTS_PER_MESSAGE = 256;
    /** A batch whose text is longer is split: the broker takes at most MessageCodec.MAX_BYTES. */
    private static final int MAX_CHARS = MessageCodec.MAX_BYTES / 2;

    private record Pending(RunnerEvent event, CompletableFuture<Void> sent) {
    }

    private record Body(String type, String text) {
    }

    private final String nodeId;
    private final Clock clock;
    private final Session session;
    private final MessageProducer producer;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final SendLinger linger = SendLinger.underLoad();
    private final Thread thread;
    private volatile boolean running = true;

    RunnerEventSender(Connection connection, String nodeId, Clock clock) throws JMSException {
        this.nodeId = nodeId;
        this.clock = clock;
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = session.createProducer(session.createQueue(Destinations.RUNNER_EVENTS));
        // A persistent send on a session that is not transacted returns once the broker's journal has it.
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        this.thread = new Thread(this::run, "cadre-runner-event-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the event behind those handed over before it; the future tells when it is sent. */
    CompletableFuture<Void> send(RunnerEvent event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (!running) {
            sent.completeExceptionally(new JMSException("the node-runner is stopping; runner event not sent"));
            return sent;
        }
        linger.arrived(System.nanoTime());
        queue.add(new Pending(event, sent));
        return sent;
    }

    private void run() {
        List<Pending> taken = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                linger.gather(queue, taken, p -> 1, EVENTS_PER_MESSAGE - 1);
                sendInOrder(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                taken.clear();
            }
        }
        failQueued(new JMSException("the node-runner stopped before the runner event was sent"));
    }

    /** Sends the events as few messages as their size allows, each after the one before. */
    private void sendInOrder(List<Pending> batch) {
        List<RunnerEvent> events = batch.stream().map(Pending::event).toList();
        try {
            for (Body body : bodies(events)) {
                TextMessage m = session.createTextMessage(body.text());
                m.setStringProperty("type", body.type());
                m.setStringProperty("nodeId", nodeId);
                producer.send(m);
            }
        } catch (JMSException | RuntimeException e) {
            LOG.warn("could not send {} runner events: {}", batch.size(), e.toString());
            Exception reason = e instanceof JMSException j ? j : new JMSException(e.toString());
            batch.forEach(p -> p.sent().completeExceptionally(reason));
            return;
        }
        batch.forEach(p -> p.sent().complete(null));
    }

    /** The events as message bodies: one batch, or halves of it while a batch's text would be too long. */
    private List<Body> bodies(List<RunnerEvent> events) {
        if (events.size() == 1) {
            RunnerEvent only = events.get(0);
            return List.of(new Body(MessageCodec.typeName(only), MessageCodec.encode(only)));
        }
        RunnerEvent.RunnerEvents batch = new RunnerEvent.RunnerEvents(nodeId, events, clock.instant());
        String text = MessageCodec.encode(batch);
        if (text.length() <= MAX_CHARS) {
            return List.of(new Body(MessageCodec.typeName(batch), text));
        }
        List<Body> bodies = new ArrayList<>(bodies(events.subList(0, events.size() / 2)));
        bodies.addAll(bodies(events.subList(events.size() / 2, events.size())));
        return bodies;
    }

    private void failQueued(JMSException reason) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.sent().completeExceptionally(reason);
        }
    }

    /** Sends what is queued (waiting up to 5 s), then stops; later sends fail at once. */
    @Override
    public void close() throws JMSException, InterruptedException {
        running = false;
        thread.join(5_000);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(1_000);
        }
        failQueued(new JMSException("the node-runner stopped before the runner event was sent"));
        session.close();
    }
}
