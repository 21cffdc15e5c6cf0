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
 * Sends the core's messages and publishes job events, persistently, committing each decision's output at once. Events carry jobId, user and state as
 * message properties so subscribers can narrow with selectors.
 */
final class Dispatcher implements AutoCloseable {
    private final Session session;
    private final MessageProducer producer;

    Dispatcher(Connection connection) throws JMSException {
        // Transacted: one journal sync per decision instead of one per message and event.
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    synchronized void send(List<Outgoing> messages, List<JobEvent.JobStateChanged> events) throws JMSException {
        for (Outgoing o : messages) {
            TextMessage m = session.createTextMessage(MessageCodec.encode(o.message()));
            m.setStringProperty("type", MessageCodec.typeName(o.message()));
            producer.send(session.createQueue(o.destination()), m);
        }
        if (!events.isEmpty()) {
            publish(events);
        }
        session.commit();
    }

    private void publish(List<JobEvent.JobStateChanged> events) throws JMSException {
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
