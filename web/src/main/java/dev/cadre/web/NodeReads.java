package dev.cadre.web;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.UsageMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
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
 * Reads on a node's output queue (protocol.md 14 and 15): read-output answered by one output-chunk, read-usage by
 * one usage-reading, each on this client's temporary queue. A request a node never takes expires on the broker
 * rather than waiting for a node that may never come.
 */
final class NodeReads implements AutoCloseable {
    /** How long a node has to answer an output read, beyond the wait the request allows it. */
    static final long ANSWER_MILLIS = 10_000;
    /** How long a node has to answer a usage read, which never waits on the node. */
    static final long USAGE_ANSWER_MILLIS = 5_000;

    /** A request's future and the answer type it takes. */
    private record Pending(Class<? extends Message> answer, CompletableFuture<Message> future) {
    }

    private final Session sendSession;
    private final Session replySession;
    private final MessageProducer producer;
    private final TemporaryQueue replies;
    /** One destination object per node: the client checks each new one with the broker. */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    private final Map<String, Pending> waiting = new ConcurrentHashMap<>();

    NodeReads(Connection connection) throws JMSException {
        this.sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = sendSession.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        this.replies = replySession.createTemporaryQueue();
        replySession.createConsumer(replies).setMessageListener(this::onReply);
    }

    /** The node's output-chunk; fails with a TimeoutException when it does not come in time. */
    CompletableFuture<OutputMessage.OutputChunk> read(String nodeId, OutputMessage.ReadOutput request) {
        return ask(nodeId, request, OutputMessage.OutputChunk.class, ANSWER_MILLIS,
                request.waitMillis() + ANSWER_MILLIS);
    }

    /** The node's usage-reading; fails with a TimeoutException when it does not come in time. */
    CompletableFuture<UsageMessage.UsageReading> usage(String nodeId, UsageMessage.ReadUsage request) {
        return ask(nodeId, request, UsageMessage.UsageReading.class, USAGE_ANSWER_MILLIS, USAGE_ANSWER_MILLIS);
    }

    /**
     * @param liveMillis the request's time to live on the broker
     * @param answerMillis how long its answer is waited for
     */
    private <T extends Message> CompletableFuture<T> ask(String nodeId, Message request, Class<T> answer,
            long liveMillis, long answerMillis) {
        String correlation = UUID.randomUUID().toString();
        CompletableFuture<Message> future = new CompletableFuture<>();
        waiting.put(correlation, new Pending(answer, future));
        future.whenComplete((r, e) -> waiting.remove(correlation));
        try {
            synchronized (sendSession) {
                TextMessage m = sendSession.createTextMessage(MessageCodec.encode(request));
                m.setStringProperty("type", MessageCodec.typeName(request));
                m.setJMSCorrelationID(correlation);
                m.setJMSReplyTo(replies);
                Queue queue = queues.get(nodeId);
                if (queue == null) {
                    queue = sendSession.createQueue(Destinations.outputQueue(nodeId));
                    queues.put(nodeId, queue);
                }
                producer.send(queue, m, DeliveryMode.NON_PERSISTENT, jakarta.jms.Message.DEFAULT_PRIORITY,
                        liveMillis);
            }
        } catch (JMSException e) {
            future.completeExceptionally(e);
        }
        return future.orTimeout(answerMillis, TimeUnit.MILLISECONDS).thenApply(answer::cast);
    }

    private void onReply(jakarta.jms.Message m) {
        try {
            Pending pending = waiting.get(m.getJMSCorrelationID());
            if (pending == null) {
                return;
            }
            try {
                pending.future().complete(MessageCodec.decode(((TextMessage) m).getText(), pending.answer()));
            } catch (ProtocolException | ClassCastException e) {
                pending.future().completeExceptionally(new IllegalStateException("unreadable answer: "
                        + e.getMessage(), e));
            }
        } catch (JMSException e) {
            // An answer without a readable correlation id belongs to nobody; its reader times out.
        }
    }

    @Override
    public void close() throws JMSException {
        waiting.values().forEach(p -> p.future().completeExceptionally(new IllegalStateException("closed")));
        sendSession.close();
        replySession.close();
    }
}
