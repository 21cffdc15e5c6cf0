package dev.cadre.scheduler;

import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * The message properties of an event on cadre.events (docs/protocol.md 3.2): what subscribers select on, as JMS
 * properties, AMQP application properties and STOMP headers alike.
 */
final class EventProperties {
    private EventProperties() {
    }

    static void set(Message m, JobEvent e) throws JMSException {
        m.setStringProperty("type", MessageCodec.typeName(e));
        if (e instanceof JobEvent.JobStateChanged c) {
            job(m, c.jobId(), c.user(), c.arrayJobId());
            task(m, c.arrayTaskId());
            m.setStringProperty("state", c.state().name());
            canceller(m, c.cancelledBy());
        } else if (e instanceof JobEvent.JobUpdated u) {
            job(m, u.jobId(), u.user(), u.arrayJobId());
            task(m, u.arrayTaskId());
            m.setStringProperty("state", u.state().name());
        } else if (e instanceof JobEvent.ArrayPartJoined j) {
            job(m, j.jobId(), j.user(), j.arrayJobId());
        } else if (e instanceof JobEvent.NodeStateChanged c) {
            m.setStringProperty("nodeId", c.nodeId());
            m.setStringProperty("state", c.state().name());
        } else if (e instanceof JobEvent.NodeDeleted d) {
            m.setStringProperty("nodeId", d.nodeId());
        }
    }

    private static void job(Message m, long jobId, String user, Long arrayJobId) throws JMSException {
        m.setLongProperty("jobId", jobId);
        m.setStringProperty("user", user);
        if (arrayJobId != null) {
            m.setLongProperty("arrayJobId", arrayJobId);
        }
    }

    /**
     * Who a cancel named, for {@code cancelledBy = 'alice'} or {@code cancelledBy IS NOT NULL}; absent when the body has
     * none. The value is the event's, which its constructor (as the decoder) refuses unless a user name, so nobody's
     * text reaches a header unchecked.
     */
    private static void canceller(Message m, String cancelledBy) throws JMSException {
        if (cancelledBy != null) {
            m.setStringProperty("cancelledBy", cancelledBy);
        }
    }

    /** A record that runs one array task carries it, so that a watch of 12_3 need not hear every other task. */
    private static void task(Message m, Integer arrayTaskId) throws JMSException {
        if (arrayTaskId != null) {
            m.setLongProperty("arrayTaskId", arrayTaskId);
        }
    }
}
