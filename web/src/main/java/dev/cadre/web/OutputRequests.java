package dev.cadre.web;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * read-output to a node's output queue, each answered by one output-chunk on this client's temporary queue.
 * A request a node never takes expires on the broker rather than waiting for a node that may never come.
 */
final class OutputRequests implements AutoCloseable {
    /** How long a node has to answer, beyond the wait the request allows it. */
    static final long ANSWER_MILLIS = 10_000;
    private final Session sendSession;
    private final Session replySession;
    private final MessageProducer producer;
    private final TemporaryQueue replies;
    /** One destination object per node: the client checks each new one with the broker. */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<OutputMessage.OutputChunk>> waiting = new ConcurrentHashMap<>();

    OutputRequests(Connection connection) throws JMSException {
        this.sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = sendSession.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.setTimeToLive(ANSWER_MILLIS);
        this.replies = replySession.createTemporaryQueue();
        replySession.createConsumer(replies).setMessageListener(this::onReply);
    }

    /** The node's answer; fails with a TimeoutException when it does not come in time. */
    CompletableFuture<OutputMessage.OutputChunk> read(String nodeId, OutputMessage.ReadOutput request) {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<OutputMessage.OutputChunk> future = new CompletableFuture<>();
        waiting.put(correlation, future);
        future.whenComplete((r, e) -> waiting.remove(correlation));
        try {
            synchronized (sendSession) {
                TextMessage m = sendSession.createTextMessage(MessageCodec.encode(request));
                m.setStringProperty("type", "read-output");
                m.setJMSCorrelationID(correlation);
                m.setJMSReplyTo(replies);
                Queue queue = queues.get(nodeId);
                if (queue == null) {
                    queue = sendSession.createQueue(Destinations.outputQueue(nodeId));
                    queues.put(nodeId, queue);
                }
                producer.send(queue, m);
            }
        } catch (JMSException e) {
            future.completeExceptionally(e);
        }
        return future.orTimeout(request.waitMillis() + ANSWER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void onReply(Message m) {
        try {
            CompletableFuture<OutputMessage.OutputChunk> future = waiting.get(m.getJMSCorrelationID());
            if (future == null) {
                return;
            }
            try {
                future.complete(MessageCodec.decode(((TextMessage) m).getText(), OutputMessage.OutputChunk.class));
            } catch (ProtocolException | ClassCastException e) {
                future.completeExceptionally(new IllegalStateException("unreadable output-chunk: " + e.getMessage(),
                        e));
            }
        } catch (JMSException e) {
            // An answer without a readable correlation id belongs to nobody; its reader times out.
        }
    }

    @Override
    public void close() throws JMSException {
        waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("closed")));
        sendSession.close();
        replySession.close();
    }
}
