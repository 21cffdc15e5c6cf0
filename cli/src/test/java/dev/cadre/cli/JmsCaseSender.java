package dev.cadre.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.cli.CaseFile.Reply;
import dev.cadre.cli.CaseFile.SubmissionCase;
import dev.cadre.protocol.Destinations;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Replays cases over JMS (Artemis over TCP) as the submitter and collects the replies on a temporary queue. */
final class JmsCaseSender {
    private JmsCaseSender() {
    }

    /** Sends every case, then waits until each case with a reply-to has a reply or the deadline passes. */
    static List<Reply> send(HeadBroker broker, List<SubmissionCase> cases, Duration replyDeadline) throws Exception {
        Connection connection = broker.connect(broker.submitter());
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replyQueue = replySession.createTemporaryQueue();
            List<Reply> replies = new ArrayList<>();
            replySession.createConsumer(replyQueue).setMessageListener(m -> {
                Reply r = replyOf(m);
                synchronized (replies) {
                    replies.add(r);
                    replies.notifyAll();
                }
            });
            MessageProducer producer = session.createProducer(session.createQueue(Destinations.SUBMIT));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            List<Reply> refused = new ArrayList<>();
            for (SubmissionCase c : cases) {
                Message m = build(session, c);
                m.setJMSCorrelationID(c.id());
                if (c.replyTo()) {
                    m.setJMSReplyTo(replyQueue);
                }
                try {
                    producer.send(m);
                } catch (JMSException e) {
                    refused.add(new Reply(c.id(), null, null, null, e.toString()));
                }
            }
            Set<String> expected = cases.stream().filter(SubmissionCase::replyTo).map(SubmissionCase::id)
                    .collect(Collectors.toSet());
            refused.forEach(r -> expected.remove(r.id()));
            Instant deadline = Instant.now().plus(replyDeadline);
            synchronized (replies) {
                while (!answered(replies).containsAll(expected) && Instant.now().isBefore(deadline)) {
                    replies.wait(Math.max(1, Math.min(1000, Duration.between(Instant.now(), deadline).toMillis())));
                }
                List<Reply> all = new ArrayList<>(replies);
                all.addAll(refused);
                return all;
            }
        } finally {
            connection.close();
        }
    }

    private static Set<String> answered(List<Reply> replies) {
        return replies.stream().map(Reply::id).collect(Collectors.toSet());
    }

    private static Reply replyOf(Message m) {
        try {
            String type = m.getStringProperty("type");
            if (m instanceof TextMessage t) {
                return new Reply(m.getJMSCorrelationID(), type, t.getText(), null, null);
            }
            return new Reply(m.getJMSCorrelationID(), type, null, m.getClass().getSimpleName(), null);
        } catch (JMSException e) {
            return new Reply(null, null, null, e.toString(), null);
        }
    }

    private static Message build(Session session, SubmissionCase c) throws JMSException {
        switch (c.kind()) {
            case "text":
                return session.createTextMessage(new String(c.bytes(), StandardCharsets.UTF_8));
            case "bytes":
                BytesMessage bytes = session.createBytesMessage();
                bytes.writeBytes(c.bytes());
                return bytes;
            case "map":
                MapMessage map = session.createMapMessage();
                for (Iterator<Map.Entry<String, JsonNode>> it = c.body().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.setObject(e.getKey(), scalar(e.getValue()));
                }
                return map;
            case "list":
                StreamMessage stream = session.createStreamMessage();
                for (JsonNode item : c.body()) {
                    stream.writeObject(scalar(item));
                }
                return stream;
            case "none":
                return session.createMessage();
            default:
                throw new IllegalArgumentException("unknown case kind " + c.kind());
        }
    }

    /** A JSON value as the object a JMS map or stream message can carry; anything nested travels as JSON text. */
    private static Object scalar(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isFloatingPointNumber()) {
            return v.asDouble();
        }
        return v.isNull() ? "null" : v.toString();
    }
}
