package dev.cadre.node;

import dev.cadre.protocol.ExecMessage;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link ExecService} answers the agents of remote commands: non-persistent, on the reply-to each request and
 * keepalive names, over one session that every command's threads share.
 */
final class ExecReplies implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecReplies.class);
    private final Session session;
    private final MessageProducer producer;

    ExecReplies(Connection connection) throws JMSException {
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    }

    /** The message's reply-to; null when it has none or it cannot be read. */
    static Destination replyToOf(Message m) {
        try {
            return m.getJMSReplyTo();
        } catch (JMSException e) {
            return null;
        }
    }

    /**
     * @return whether the broker took it; not when the agent is gone with its reply queue (the watchdog kills its
     *     command once it is silent), nor when this runner stops (closed) or the broker is away
     */
    boolean send(Destination to, String requestId, ExecMessage reply) {
        try {
            synchronized (session) {
                TextMessage t = session.createTextMessage(MessageCodec.encode(reply));
                t.setStringProperty("type", MessageCodec.typeName(reply));
                producer.send(to, t);
            }
            return true;
        } catch (JMSException e) {
            LOG.debug("exec reply to {} not delivered: {}", requestId, e.getMessage());
            return false;
        }
    }

    /** Refuses the request: exit status 255 with the reason, as ssh answers a host it cannot reach. */
    void refuse(Destination replyTo, ExecMessage.ExecRequest request, String reason) {
        LOG.warn("exec request refused: {}", reason);
        send(replyTo, request.requestId(), new ExecMessage.ExecExit(request.requestId(), 255, 0, reason));
    }

    @Override
    public void close() throws JMSException {
        session.close();
    }
}
