package dev.cadre.scheduler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.EmbeddedBroker;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

/**
 * A client of a head under test with the submitter's account: requests on cadre.submit answered on a temporary
 * queue, and events of cadre.events chosen by a selector, as any client's.
 */
record SubmitterClient(Connection connection, Session session, TemporaryQueue replies, MessageConsumer answers)
        implements AutoCloseable {

    static SubmitterClient open(SchedulerOnBroker head) throws Exception {
        Connection connection = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, head.users().submitter(),
                "subscriber");
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = session.createTemporaryQueue();
        return new SubmitterClient(connection, session, replies, session.createConsumer(replies));
    }

    /** The answer to a request, within 10 s. */
    Message ask(Message request) throws Exception {
        SubmissionIntakeIntegrationTest.send(session, replies, MessageCodec.encode(request), "c");
        TextMessage reply = (TextMessage) answers.receive(10_000);
        assertNotNull(reply, "no answer to " + request);
        return MessageCodec.decode(reply.getText());
    }

    /** The answer to a request's text, whatever it holds, within 10 s. */
    ClientReply askText(String request) throws Exception {
        SubmissionIntakeIntegrationTest.send(session, replies, request, "c");
        TextMessage reply = (TextMessage) answers.receive(10_000);
        assertNotNull(reply, "no answer to " + request.substring(0, Math.min(request.length(), 300)));
        return MessageCodec.decode(reply.getText(), ClientReply.class);
    }

    /** A subscription to the events the selector chooses, from now on. */
    MessageConsumer events(String selector) throws JMSException {
        return session.createConsumer(session.createTopic(Destinations.EVENTS), selector);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
