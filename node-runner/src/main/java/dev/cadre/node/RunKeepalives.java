package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keepalives of the runs an {@link ExecClient} follows (protocol.md 13.4): one per run every {@link #EVERY}, to
 * the queue of the node running it, naming its agent's reply queue, over a session of their own. A node kills a
 * command whose keepalives stop for longer than its silence limit.
 */
final class RunKeepalives implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunKeepalives.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    /** A run kept alive: the queue of the node running it and its agent's reply queue. */
    record Kept(String nodeQueue, TemporaryQueue replies) {
    }

    private final Session session;
    private final MessageProducer producer;
    /** Request id to its run, for every request still waiting. */
    private final Map<String, Kept> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cadre-exec-keepalive");
        t.setDaemon(true);
        return t;
    });

    RunKeepalives(Connection connection) throws JMSException {
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        timer.scheduleAtFixedRate(this::sendAll, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps the run alive from the next round on, until {@link #drop}.
     *
     * @return null when a run of the same request id is kept already
     */
    Kept keep(String requestId, String nodeQueue, TemporaryQueue replies) {
        Kept run = new Kept(nodeQueue, replies);
        return live.putIfAbsent(requestId, run) == null ? run : null;
    }

    void drop(String requestId, Kept run) {
        live.remove(requestId, run);
    }

    private void sendAll() {
        live.forEach(this::send);
    }

    /** Sends the run's keepalive now, outside the rounds. */
    void send(String requestId, Kept run) {
        try {
            synchronized (session) {
                TextMessage m = session.createTextMessage(MessageCodec.encode(new ExecMessage.ExecKeepalive(
                        requestId)));
                // A runner restarted meanwhile does not know the request, and answers here (protocol.md 13.4).
                m.setJMSReplyTo(run.replies());
                producer.send(session.createQueue(run.nodeQueue()), m);
            }
        } catch (JMSException ex) {
            // The broker is away; the node kills the command if it stays silent past its limit.
            LOG.debug("keepalive for {} not sent: {}", requestId, ex.getMessage());
        }
    }

    /** Sends no keepalive any more. */
    @Override
    public void close() throws JMSException {
        timer.shutdownNow();
        session.close();
    }
}
