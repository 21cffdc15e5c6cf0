package dev.cadre.scheduler;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.scheduler.core.Outgoing;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the core's messages and publishes job events, persistently, committing each decision's output at once.
 * Events carry jobId, user and state as message properties so subscribers can narrow with selectors.
 */
final class Dispatcher implements AutoCloseable {
    private final Session session;
    private final MessageProducer producer;
    private final Topic events;
    /** One destination object per address: the client checks each new object with the broker (see ReplySender). */
    private final Map<String, Queue> queues = new HashMap<>();

    Dispatcher(Connection connection) throws JMSException {
        // Transacted: one journal sync per decision instead of one per message and event.
        session = connection.createSession(true, Session.SESSION_TRANSACTED);
        producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        events = session.createTopic(Destinations.EVENTS);
    }

    synchronized void send(List<Outgoing> messages, List<JobEvent.JobStateChanged> events) throws JMSException {
        for (Outgoing o : messages) {
            TextMessage m = session.createTextMessage(MessageCodec.encode(o.message()));
            m.setStringProperty("type", MessageCodec.typeName(o.message()));
            producer.send(queue(o.destination()), m);
        }
        if (!events.isEmpty()) {
            publish(events);
        }
        session.commit();
    }

    private Queue queue(String name) throws JMSException {
        Queue q = queues.get(name);
        if (q == null) {
            q = session.createQueue(name);
            queues.put(name, q);
        }
        return q;
    }

    private void publish(List<JobEvent.JobStateChanged> changes) throws JMSException {
        for (JobEvent.JobStateChanged e : changes) {
            TextMessage m = session.createTextMessage(MessageCodec.encode(e));
            m.setStringProperty("type", "job-state-changed");
            m.setLongProperty("jobId", e.jobId());
            m.setStringProperty("user", e.user());
            m.setStringProperty("state", e.state().name());
            producer.send(events, m);
        }
    }

    @Override
    public void close() throws JMSException {
        session.close();
    }
}
