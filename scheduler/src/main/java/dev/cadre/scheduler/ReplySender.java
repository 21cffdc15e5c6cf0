package dev.cadre.scheduler;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch's replies and dead-letter entries in one broker transaction: one journal sync per batch
 * instead of one per reply. If the transaction fails (typically one client's temporary reply queue is gone)
 * each reply is retried on its own, so one vanished client cannot cost anyone else their answer.
 */
final class ReplySender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplySender.class);
    private final Session batchSession;
    private final MessageProducer batchProducer;
    private final Session singleSession;
    private final MessageProducer singleProducer;
    private final Destination deadLetters;
    private final List<Outbound> pending = new ArrayList<>();
    /**
     * The client library asks the broker whether a destination exists (two round trips) the first time each
     * destination object is used, and every received reply-to is a new object: reusing one object per address
     * makes that once per client instead of once per reply, which was half the intake's time.
     */
    private final Map<String, Destination> checked = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Destination> eldest) {
            return size() > 10_000;
        }
    };

    private record Outbound(Destination to, String body, String type, String correlation, String rejectReason,
            String originalId) {
    }

    ReplySender(Connection connection) throws JMSException {
        batchSession = connection.createSession(true, Session.SESSION_TRANSACTED);
        batchProducer = batchSession.createProducer(null);
        batchProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
        singleSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        singleProducer = singleSession.createProducer(null);
        singleProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
        deadLetters = batchSession.createQueue(Destinations.DEAD_LETTERS);
    }

    /**
     * Where a request's reply may go: its reply-to, unless that is missing or one of Cadre's own addresses
     * (other than cadre.reply.*). The scheduler may write to every address, so a reply there would let any
     * submitter put messages on node command queues or the event stream.
     */
    static Destination replyTo(Message request) throws JMSException {
        Destination to = request.getJMSReplyTo();
        String address = to instanceof Queue q ? q.getQueueName() : to instanceof Topic t ? t.getTopicName() : null;
        if (address != null && address.startsWith("cadre.") && !address.startsWith(Destinations.REPLY_PREFIX)) {
            LOG.warn("a request named Cadre's own address {} as its reply-to; it gets no reply there", address);
            return null;
        }
        return to;
    }

    /** Queues a reply to the request's reply-to, correlated by its correlation id (else its message id). */
    void reply(Message request, ClientReply reply) throws JMSException {
        Address to = addressOf(request);
        if (to != null) {
            reply(to, reply);
        }
    }

    /** Where a reply goes and what it is correlated by, read from its request for a reply sent later. */
    record Address(Destination to, String correlation) {
    }

    /** The request's reply address ({@link #replyTo}); null when it gets no reply. */
    static Address addressOf(Message request) throws JMSException {
        Destination to = replyTo(request);
        return to == null ? null : new Address(to, request.getJMSCorrelationID() != null
                ? request.getJMSCorrelationID() : request.getJMSMessageID());
    }

    /** Queues a reply to an address taken from its request. */
    void reply(Address address, ClientReply reply) {
        Destination to = address.to();
        pending.add(new Outbound(checked.computeIfAbsent(to.toString(), k -> to), MessageCodec.encode(reply),
                MessageCodec.typeName(reply), address.correlation(), null, null));
    }

    /**
     * Queues a rejection (or a batch's answer holding rejections) for a request that named no reply-to, so that
     * an operator can still see why.
     */
    void deadLetter(Message request, ClientReply rejection, String reason) throws JMSException {
        pending.add(new Outbound(deadLetters, MessageCodec.encode(rejection), MessageCodec.typeName(rejection),
                request.getJMSCorrelationID(), reason, request.getJMSMessageID()));
    }

    /** Forgets what was queued since the last flush (its batch failed and will be handled again). */
    void discard() {
        pending.clear();
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            for (Outbound o : pending) {
                batchProducer.send(o.to(), build(batchSession, o));
            }
            batchSession.commit();
        } catch (JMSException e) {
            LOG.info("a batch of {} replies failed ({}); sending them one by one", pending.size(), e.getMessage());
            rollbackQuietly();
            // A destination that went away since it was checked: forget them all, the next use checks again.
            checked.clear();
            for (Outbound o : pending) {
                try {
                    singleProducer.send(o.to(), build(singleSession, o));
                } catch (JMSException single) {
                    // The client went away with its reply queue; its job is stored all the same.
                    LOG.info("could not deliver a reply: {}", single.getMessage());
                }
            }
        } finally {
            pending.clear();
        }
    }

    private static TextMessage build(Session session, Outbound o) throws JMSException {
        TextMessage m = session.createTextMessage(o.body());
        m.setStringProperty("type", o.type());
        if (o.correlation() != null) {
            m.setJMSCorrelationID(o.correlation());
        }
        if (o.rejectReason() != null) {
            m.setStringProperty("cadreRejectReason", o.rejectReason());
        }
        if (o.originalId() != null) {
            m.setStringProperty("cadreOriginalMessageId", o.originalId());
        }
        return m;
    }

    private void rollbackQuietly() {
        try {
            batchSession.rollback();
        } catch (JMSException e) {
            LOG.debug("rollback after a failed reply batch: {}", e.getMessage());
        }
    }

    @Override
    public void close() throws JMSException {
        batchSession.close();
        singleSession.close();
    }
}
