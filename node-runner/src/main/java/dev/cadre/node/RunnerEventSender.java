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
import java.time.Duration;
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
 * message, one journal record and one delivery, instead of one each. A lone event goes out as itself.
 *
 * <p>A batch whose send fails is sent again, with a backoff from {@link #FIRST_RETRY} doubling to
 * {@link #LAST_RETRY}, before anything handed over after it, for as long as the sender runs: while the head is
 * down (restarted, or killed) the send under way fails ("Unblocking a blocking call", or timed out), and a job's
 * end sent only once would be lost until the node-runner restarted. Each event's future completes once the broker
 * has it durably; it fails only when the sender is closed first, or for an event that cannot be encoded. A failed
 * send may still have reached the broker, so the head can get an event twice, one copy right after the other's
 * batch; it ignores a repeated runner-running, runner-finished, runner-failed or runner-released. A heartbeat is
 * not sent again (its future fails): a copy arriving after the events that followed it would show the head an
 * earlier moment, without a job started since, which the head would take for lost. The next heartbeat replaces it.
 */
final class RunnerEventSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerEventSender.class);
    /** Events per message; far below the protocol's limit so that a message stays small. */
    static final int EVENTS_PER_MESSAGE = 256;
    /** A batch whose text is longer is split: the broker takes at most MessageCodec.MAX_BYTES. */
    private static final int MAX_CHARS = MessageCodec.MAX_BYTES / 2;
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LAST_RETRY = Duration.ofSeconds(5);
    /** How long close waits for what is queued to be sent, the head being up, before it fails the rest. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration SESSION_CLOSE_WAIT = Duration.ofSeconds(2);

    private record Pending(RunnerEvent event, CompletableFuture<Void> sent) {
    }

    /** One message: its type, its text and how many of the batch's events, from its start, it carries. */
    private record Body(String type, String text, int events) {
    }

    private final String nodeId;
    private final Clock clock;
    private final Session session;
    private final MessageProducer producer;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final SendLinger linger = SendLinger.underLoad();
    private final Thread thread;
    private volatile boolean running = true;
    /** Set by close once its grace has passed: what cannot be sent then is failed, not tried again. */
    private volatile boolean stopped;
    /** Set once the connection is given up: nothing can be sent any more, so close waits no grace. */
    private volatile boolean givenUp;
    /** The batch being sent, for close to fail should the thread still hold it once stopped. */
    private volatile List<Pending> inFlight = List.of();
    /** Sends that failed and were tried again; written by the sender thread alone. */
    private volatile int failedSends;

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
            sent.completeExceptionally(new NotSentBeforeStop("the node-runner is stopping; runner event not sent"));
            return sent;
        }
        linger.arrived(System.nanoTime());
        queue.add(new Pending(event, sent));
        return sent;
    }

    /** For tests: how many events handed over are not sent yet. */
    int unsent() {
        return queue.size() + (int) inFlight.stream().filter(p -> !p.sent().isDone()).count();
    }

    /** For tests: how many sends have failed so far. */
    int failedSends() {
        return failedSends;
    }

    private void run() {
        List<Pending> taken = new ArrayList<>();
        while (!stopped && (running || !queue.isEmpty())) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                linger.gather(queue, taken, p -> 1, EVENTS_PER_MESSAGE - 1);
                sendUntilTaken(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                taken.clear();
            }
        }
        failQueued(stoppedBeforeSent());
    }

    /** Sends the batch, again and again after failures, until the broker has it or the sender is stopped. */
    private void sendUntilTaken(List<Pending> batch) throws InterruptedException {
        List<Pending> left = new ArrayList<>(batch);
        inFlight = List.copyOf(batch);
        long delayMillis = FIRST_RETRY.toMillis();
        int failures = 0;
        try {
            while (!left.isEmpty()) {
                List<Body> bodies;
                try {
                    bodies = bodies(left.stream().map(Pending::event).toList());
                } catch (RuntimeException e) {
                    // It would fail the same way each time, and hold back every event behind it.
                    LOG.error("cannot encode {} runner events; they are not sent", left.size(), e);
                    fail(left, new JMSException("runner event not encoded: " + e));
                    return;
                }
                try {
                    sendInOrder(bodies, left);
                } catch (JMSException | RuntimeException e) {
                    if (stopped) {
                        fail(left, stoppedBeforeSent());
                        return;
                    }
                    failedSends++;
                    // A heartbeat is dropped, not sent again; its sender logs that. Only the rest are retried.
                    dropHeartbeats(left);
                    if (left.isEmpty()) {
                        LOG.debug("heartbeat not sent, and dropped: {}", e.toString());
                        break;
                    }
                    failures++;
                    if (failures == 1) {
                        LOG.warn("could not send {} runner events ({}); sending them again until the broker takes"
                                + " them", left.size(), e.toString());
                    } else {
                        LOG.debug("runner events not sent, attempt {}: {}", failures, e.toString());
                    }
                    TimeUnit.MILLISECONDS.sleep(delayMillis);
                    delayMillis = Math.min(delayMillis * 2, LAST_RETRY.toMillis());
                }
            }
            if (failures > 0) {
                LOG.info("runner events sent after {} failed attempts", failures);
            }
        } catch (InterruptedException e) {
            fail(left, stoppedBeforeSent());
            throw e;
        } finally {
            inFlight = List.of();
        }
    }

    /** Sends the bodies one after the other; each body's events are taken off the front of left once it is sent. */
    private void sendInOrder(List<Body> bodies, List<Pending> left) throws JMSException {
        for (Body body : bodies) {
            TextMessage m = session.createTextMessage(body.text());
            m.setStringProperty("type", body.type());
            m.setStringProperty("nodeId", nodeId);
            producer.send(m);
            List<Pending> sent = left.subList(0, body.events());
            sent.forEach(p -> p.sent().complete(null));
            sent.clear();
        }
    }

    /** Takes the heartbeats out of a batch that is to be sent again, failing their futures (see the class). */
    private static void dropHeartbeats(List<Pending> left) {
        left.removeIf(p -> {
            if (p.event() instanceof RunnerEvent.NodeHeartbeat) {
                p.sent().completeExceptionally(new JMSException("heartbeat not sent: its send failed, and a copy"
                        + " sent again could reach the head after events that followed it; the next heartbeat"
                        + " replaces it"));
                return true;
            }
            return false;
        });
    }

    private static void fail(List<Pending> batch, JMSException reason) {
        batch.forEach(p -> p.sent().completeExceptionally(reason));
    }

    private static JMSException stoppedBeforeSent() {
        return new NotSentBeforeStop("the node-runner stopped before the runner event was sent");
    }

    /** The expected failure of an event at a stop: a job's end then stays on disk for the next start to report. */
    static final class NotSentBeforeStop extends JMSException {
        NotSentBeforeStop(String reason) {
            super(reason);
        }
    }

    /** The events as message bodies: one batch, or halves of it while a batch's text would be too long. */
    private List<Body> bodies(List<RunnerEvent> events) {
        if (events.size() == 1) {
            RunnerEvent only = events.get(0);
            return List.of(new Body(MessageCodec.typeName(only), MessageCodec.encode(only), 1));
        }
        RunnerEvent.RunnerEvents batch = new RunnerEvent.RunnerEvents(nodeId, events, clock.instant());
        String text = MessageCodec.encode(batch);
        if (text.length() <= MAX_CHARS) {
            return List.of(new Body(MessageCodec.typeName(batch), text, events.size()));
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

    /**
     * Sends what is queued, trying again after failures for up to {@link #CLOSE_GRACE}, then stops: what is still
     * unsent fails (a job's end then stays in its attempt directory, and the next start of the node-runner reports
     * it), and later sends fail at once.
     */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (!givenUp) {
            thread.join(CLOSE_GRACE.toMillis());
        }
        if (thread.isAlive()) {
            stopped = true;
            // Ends a backoff, or a send waiting for the connection to come back.
            thread.interrupt();
            thread.join(1_000);
        }
        // A send that did not give way to the interrupt: its events are not known to be sent.
        fail(inFlight, stoppedBeforeSent());
        failQueued(stoppedBeforeSent());
        if (!givenUp) {
            SessionClose.within(session, "runner event", SESSION_CLOSE_WAIT);
        }
    }

    /**
     * The connection was given up under the sender (the runner's stop deadline): a send under way ends, and close
     * fails what is unsent at once instead of waiting its grace for a broker that cannot be reached any more.
     */
    void giveUp() {
        givenUp = true;
        running = false;
        stopped = true;
        thread.interrupt();
    }
}
