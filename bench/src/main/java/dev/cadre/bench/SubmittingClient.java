package dev.cadre.bench;

import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

/**
 * A submitting client shaped like {@code RequestClient}: persistent text messages to cadre.submit, each with a
 * correlation id and a temporary reply queue. Unlike RequestClient it sends asynchronously, so many submissions
 * are in flight at once; the round's window bounds how many are unanswered.
 */
final class SubmittingClient implements AutoCloseable {
    private static final String ACCEPTED = "job-accepted";
    private final Connection connection;
    private final Session sendSession;
    private final Session replySession;
    private final MessageProducer producer;
    private final TemporaryQueue replyQueue;
    private final String name;
    private final JobSpec spec;
    private volatile SubmissionRound round;
    private int roundNumber;

    SubmittingClient(Connection connection, String name, JobSpec spec) throws JMSException {
        this.connection = connection;
        this.name = name;
        this.spec = spec;
        sendSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = sendSession.createProducer(sendSession.createQueue(Destinations.SUBMIT));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        replyQueue = replySession.createTemporaryQueue();
        MessageConsumer consumer = replySession.createConsumer(replyQueue);
        consumer.setMessageListener(this::onReply);
    }

    /** Sends the round's submissions from the calling thread; returns once all are sent, not answered. */
    void send(SubmissionRound r) throws JMSException, InterruptedException {
        round = r;
        roundNumber++;
        CompletionListener confirmations = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                // Durable in the broker's journal; the acceptance reply is what is measured.
            }

            @Override
            public void onException(Message message, Exception e) {
                r.sendFailed(sequenceOf(message), e);
            }
        };
        for (int seq = 0; seq < r.size(); seq++) {
            // Unique across rounds and clients: the scheduler would answer a reused id as a duplicate.
            String submissionId = name + "-" + roundNumber + "-" + seq;
            TextMessage m = sendSession.createTextMessage(MessageCodec.encode(
                    new ClientRequest.SubmitJob(submissionId, spec)));
            m.setJMSCorrelationID(Integer.toString(seq));
            m.setJMSReplyTo(replyQueue);
            r.beforeSend(seq);
            producer.send(m, confirmations);
        }
    }

    private void onReply(Message m) {
        long now = System.nanoTime();
        SubmissionRound r = round;
        int seq = sequenceOf(m);
        try {
            String type = m.getStringProperty("type");
            boolean accepted = ACCEPTED.equals(type);
            r.replied(seq, now, accepted, accepted ? null : type + ": " + ((TextMessage) m).getText());
        } catch (JMSException | ClassCastException e) {
            r.replied(seq, now, false, "unreadable reply: " + e);
        }
    }

    private static int sequenceOf(Message m) {
        try {
            return Integer.parseInt(m.getJMSCorrelationID());
        } catch (JMSException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
