package dev.cadre.broker;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends client requests to {@link Destinations#SUBMIT} as persistent messages and completes a future when
 * the correlated reply arrives on this client's temporary reply queue. Thread-safe.
 *
 * <p>A send waits for the broker to confirm it, one at a time; while a remote connection reconnects, which it does
 * for ever, the send waits for it, and so do the sends of other threads and {@link #close()}. A caller that must
 * not wait for the broker sends from a thread of its own (as {@code CadreClient} does) and bounds its wait for the
 * reply itself; sends go at the pace of the broker's confirmations (some hundreds a second), so a deadline that
 * started before a long queue of sends would run out in the sender's own queue. A send that throws may still have
 * reached the broker.
 *
 * <p>After the connection came back from a failure, {@link #renewReplyQueue()} gives the client a reply queue that
 * only the new connection owns: Artemis re-creates a reconnected client's temporary queues under their old names, and
 * the broker deletes those names with the old sessions, which it may do after the re-creation.
 */
public final class RequestClient implements AutoCloseable {
    private final Connection connection;
    private final Session sendSession;
    private final Session replySession;
    private final MessageProducer producer;
    /** Read by senders without the lock: a send takes the latest queue. */
    private volatile TemporaryQueue replyQueue;
    private MessageConsumer replyConsumer;
    private final Map<String, CompletableFuture<ClientReply>> waiting = new ConcurrentHashMap<>();

    public RequestClient(Connection connection) throws JMSException {
        this.connection = connection;
        this.sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = sendSession.createProducer(sendSession.createQueue(Destinations.SUBMIT));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        listenOnNewReplyQueue();
    }

    /**
     * Moves replies to a new temporary queue, under a new name, for the requests sent from now on, and removes the old
     * one. A reply still on its way to the old queue is lost: its sender times out and asks again.
     */
    public synchronized void renewReplyQueue() throws JMSException {
        TemporaryQueue old = replyQueue;
        MessageConsumer oldConsumer = replyConsumer;
        listenOnNewReplyQueue();
        try {
            oldConsumer.close();
            old.delete();
        } catch (JMSException e) {
            // Already gone with the old connection, which is what made the new one necessary.
        }
    }

    private synchronized void listenOnNewReplyQueue() throws JMSException {
        TemporaryQueue queue = replySession.createTemporaryQueue();
        MessageConsumer consumer = replySession.createConsumer(queue);
        consumer.setMessageListener(this::onReply);
        replyConsumer = consumer;
        replyQueue = queue;
    }

    /** Sends the request; the future fails if the reply cannot be read. Waiting is the caller's choice. */
    public CompletableFuture<ClientReply> send(ClientRequest request) throws JMSException {
        return send(MessageCodec.encode(request));
    }

    /** Sends a request the caller has already encoded (to check its size first, say). */
    public CompletableFuture<ClientReply> send(String encodedRequest) throws JMSException {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<ClientReply> future = new CompletableFuture<>();
        waiting.put(correlation, future);
        future.whenComplete((r, e) -> waiting.remove(correlation));
        try {
            synchronized (sendSession) {
                TextMessage m = sendSession.createTextMessage(encodedRequest);
                m.setJMSCorrelationID(correlation);
                m.setJMSReplyTo(replyQueue);
                producer.send(m);
            }
        } catch (JMSException | RuntimeException e) {
            // No reply is sure to come (the broker may have the request and a reply may still arrive, but the
            // caller, told of the failure, has stopped waiting for this one), so it leaves the waiting map.
            future.completeExceptionally(e);
            throw e;
        }
        return future;
    }

    private void onReply(jakarta.jms.Message m) {
        try {
            CompletableFuture<ClientReply> future = waiting.get(m.getJMSCorrelationID());
            if (future == null) {
                return;
            }
            try {
                future.complete(MessageCodec.decode(((TextMessage) m).getText(), ClientReply.class));
            } catch (ProtocolException | ClassCastException e) {
                future.completeExceptionally(new IllegalStateException("unreadable reply: " + e.getMessage(), e));
            }
        } catch (JMSException e) {
            // A reply without a readable correlation id belongs to nobody; the sender times out.
        }
    }

    @Override
    public void close() throws JMSException {
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("client closed")));
        sendSession.close();
        replySession.close();
        connection.close();
    }
}
