package dev.cadre.bench;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSubmission;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
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
import java.util.ArrayList;
import java.util.List;

/**
 * A submitting client shaped like {@code RequestClient}: persistent text messages to cadre.submit, each with a
 * correlation id and a temporary reply queue. Unlike RequestClient it sends asynchronously, so many submissions
 * are in flight at once; the round's window bounds how many are unanswered.
 */
final class SubmittingClient implements AutoCloseable {
    private static final String ACCEPTED = "job-accepted";
    private static final String BATCH_ANSWER = "jobs-submitted";
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

    /**
     * Sends the round's submissions from the calling thread, one submit-job each, or perMessage entries per
     * submit-jobs; returns once all are sent, not answered.
     */
    void send(SubmissionRound r, int perMessage) throws JMSException, InterruptedException {
        round = r;
        roundNumber++;
        CompletionListener confirmations = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                // Durable in the broker's journal; the acceptance reply is what is measured.
            }

            @Override
            public void onException(Message message, Exception e) {
                int[] range = rangeOf(message);
                for (int seq = range[0]; seq < range[0] + range[1]; seq++) {
                    r.sendFailed(seq, e);
                }
            }
        };
        for (int first = 0; first < r.size(); first += perMessage) {
            int count = Math.min(perMessage, r.size() - first);
            List<JobSubmission> entries = new ArrayList<>(count);
            for (int seq = first; seq < first + count; seq++) {
                // Unique across rounds and clients: the scheduler would answer a reused id as a duplicate.
                entries.add(new JobSubmission(name + "-" + roundNumber + "-" + seq, spec));
            }
            ClientRequest request = count == 1 && perMessage == 1
                    ? entries.get(0).asRequest() : new ClientRequest.SubmitJobs(entries);
            TextMessage m = sendSession.createTextMessage(MessageCodec.encode(request));
            m.setJMSCorrelationID(first + ":" + count);
            m.setJMSReplyTo(replyQueue);
            for (int seq = first; seq < first + count; seq++) {
                r.beforeSend(seq);
            }
            producer.send(m, confirmations);
        }
    }

    private void onReply(Message m) {
        long now = System.nanoTime();
        SubmissionRound r = round;
        int[] range = rangeOf(m);
        try {
            String body = ((TextMessage) m).getText();
            String type = m.getStringProperty("type");
            if (BATCH_ANSWER.equals(type)) {
                var results = ((ClientReply.JobsSubmitted) MessageCodec.decode(body)).results();
                for (int i = 0; i < range[1]; i++) {
                    ClientReply result = i < results.size() ? results.get(i) : null;
                    boolean accepted = result instanceof ClientReply.JobAccepted;
                    r.replied(range[0] + i, now, accepted, accepted ? null : "entry " + i + ": " + result);
                }
                return;
            }
            boolean accepted = ACCEPTED.equals(type);
            for (int i = 0; i < range[1]; i++) {
                r.replied(range[0] + i, now, accepted, accepted ? null : type + ": " + body);
            }
        } catch (JMSException | ProtocolException | ClassCastException e) {
            for (int i = 0; i < range[1]; i++) {
                r.replied(range[0] + i, now, false, "unreadable reply: " + e);
            }
        }
    }

    /** The first sequence number and the count a message carries, from its correlation id "first:count". */
    private static int[] rangeOf(Message m) {
        try {
            String[] parts = m.getJMSCorrelationID().split(":", 2);
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (JMSException | RuntimeException e) {
            return new int[] {-1, 1};
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
