package dev.cadre.web;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.OutputMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A node's side of read-output (docs/protocol.md 14) as a test writes it: each read on the node's output queue
 * is answered with the chunk the test's function gives, over the real broker, as the node-runner answers.
 */
final class ScriptedNode {
    /** The reads the node was asked for, in order. */
    final List<OutputMessage.ReadOutput> reads = new CopyOnWriteArrayList<>();

    ScriptedNode(Connection connection, String nodeId,
            Function<OutputMessage.ReadOutput, OutputMessage.OutputChunk> answer) throws JMSException {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = session.createProducer(null);
        session.createConsumer(session.createQueue(Destinations.outputQueue(nodeId))).setMessageListener(m -> {
            try {
                OutputMessage.ReadOutput read = (OutputMessage.ReadOutput) MessageCodec.decode(
                        ((TextMessage) m).getText(), OutputMessage.class);
                reads.add(read);
                TextMessage reply = session.createTextMessage(MessageCodec.encode(answer.apply(read)));
                reply.setJMSCorrelationID(m.getJMSCorrelationID());
                replies.send(m.getJMSReplyTo(), reply);
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
