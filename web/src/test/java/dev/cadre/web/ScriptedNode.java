package dev.cadre.web;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.Message;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import dev.cadre.protocol.UsageMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A node's side of read-output and read-usage (docs/protocol.md 14, 15) as a test writes it: each read on the node's
 * output queue is answered with what the test's function gives, over the real broker, as the node-runner answers.
 */
final class ScriptedNode {
    /** What the node was asked, in order. */
    final List<Message> asked = new CopyOnWriteArrayList<>();

    /** Answers read-output; a read-usage goes unanswered, as from a node that has not heard of it. */
    static ScriptedNode output(Connection connection, String nodeId,
            Function<OutputMessage.ReadOutput, OutputMessage.OutputChunk> answer) throws JMSException {
        return new ScriptedNode(connection, nodeId, m -> m instanceof OutputMessage.ReadOutput r ? answer.apply(r)
                : null);
    }

    /** Answers read-usage; a read-output goes unanswered. */
    static ScriptedNode usage(Connection connection, String nodeId,
            Function<UsageMessage.ReadUsage, UsageMessage.UsageReading> answer) throws JMSException {
        return new ScriptedNode(connection, nodeId, m -> m instanceof UsageMessage.ReadUsage r ? answer.apply(r)
                : null);
    }

    /** @param answer null for no answer */
    private ScriptedNode(Connection connection, String nodeId, Function<Message, Message> answer)
            throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = session.createProducer(null);
        session.createConsumer(session.createQueue(Destinations.outputQueue(nodeId))).setMessageListener(m -> {
            try {
                Message read = MessageCodec.decode(((TextMessage) m).getText());
                asked.add(read);
                Message reply = answer.apply(read);
                if (reply != null) {
                    TextMessage text = session.createTextMessage(MessageCodec.encode(reply));
                    text.setJMSCorrelationID(m.getJMSCorrelationID());
                    replies.send(m.getJMSReplyTo(), text);
                }
            } catch (Exception e) {
                throw new IllegalStateException("the scripted node could not answer: " + e, e);
            }
        });
    }

    /** A chunk of a file of the given size, holding text (UTF-8) from offset on. */
    static OutputMessage.OutputChunk chunk(OutputMessage.ReadOutput read, long offset, String text, long size,
            boolean running) {
        return new OutputMessage.OutputChunk(read.jobId(), read.attempt(), read.stream(), "/tmp/out", offset, size,
                java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                running, false, null);
    }
}
