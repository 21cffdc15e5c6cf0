package dev.cadre.scheduler;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.scheduler.core.Outgoing;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;

/**
 * Sends the core's messages and publishes job events, persistently. Events carry jobId, user and state as
 * message properties so subscribers can narrow with selectors.
 */
final class Dispatcher implements AutoCloseable {
    private final Session session;
    private final MessageProducer producer;

    Dispatcher(Connection connection) throws JMSException {
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    synchronized void send(List<Outgoing> messages, List<JobEvent.JobStateChanged> events) throws JMSException {
        for (Outgoing o : messages) {
            TextMessage m = session.createTextMessage(MessageCodec.encode(o.message()));
            m.setStringProperty("type", MessageCodec.typeName(o.message()));
            producer.send(session.createQueue(o.destination()), m);
        }
        if (events.isEmpty()) {
            return;
        }
        var topic = session.createTopic(Destinations.EVENTS);
        for (JobEvent.JobStateChanged e : events) {
            TextMessage m = session.createTextMessage(MessageCodec.encode(e));
            m.setStringProperty("type", "job-state-changed");
            m.setLongProperty("jobId", e.jobId());
            m.setStringProperty("user", e.user());
            m.setStringProperty("state", e.state().name());
            producer.send(topic, m);
        }
    }

    @Override
    public void close() throws JMSException {
        session.close();
    }
}
