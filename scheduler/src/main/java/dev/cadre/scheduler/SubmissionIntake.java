package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes cadre.submit. A batch is validated, admitted to SQLite in one transaction, answered, and only then
 * acknowledged: a crash before the acknowledgement redelivers, and the unique submission key makes the
 * redelivery return the same job. Replies go out on their own session so that a client that went away
 * cannot fail anyone else's batch.
 */
final class SubmissionIntake extends BatchingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);
    private final SchedulerService service;
    private final JobStore jobs;
    private final Clock clock;
    private final Session replySession;
    private final MessageProducer replies;

    SubmissionIntake(Connection connection, SchedulerService service, JobStore jobs, Clock clock, int batchSize)
            throws JMSException {
        super(connection, Destinations.SUBMIT, batchSize, "cadre-submissions");
        this.service = service;
        this.jobs = jobs;
        this.clock = clock;
        this.replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.replies = replySession.createProducer(null);
        replies.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    private record Pending(Message request, String submissionId, JobStore.NewJob job) {
    }

    @Override
    void handle(Session session, List<Message> batch) throws Exception {
        List<Pending> admits = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        for (Message m : batch) {
            ClientRequest request;
            try {
                request = MessageCodec.decode(bodyOf(m), ClientRequest.class);
            } catch (ProtocolException e) {
                reject(m, null, e.getMessage(), e.field());
                continue;
            }
            if (request instanceof ClientRequest.SubmitJob submit) {
                var problems = JobSpecValidator.validate(submit.spec());
                if (!problems.isEmpty()) {
                    var first = problems.get(0);
                    reject(m, submit.submissionId(), problems.stream().map(Object::toString)
                            .reduce((a, b) -> a + "; " + b).orElseThrow(), first.field());
                    continue;
                }
                admits.add(new Pending(m, submit.submissionId(), new JobStore.NewJob(submissionKey(m, submit), submit.spec(),
                        clock.instant(), "None")));
            } else {
                ClientRequest.CancelJob cancel = (ClientRequest.CancelJob) request;
                after.add(() -> reply(m, service.cancel(cancel.jobId()).result()));
            }
        }
        if (!admits.isEmpty()) {
            List<JobStore.Admission> admitted = jobs.admit(admits.stream().map(Pending::job).toList());
            List<JobRecord> created = admitted.stream().filter(a -> !a.duplicate()).map(JobStore.Admission::job)
                    .toList();
            service.admitted(created);
            for (int i = 0; i < admitted.size(); i++) {
                JobStore.Admission a = admitted.get(i);
                Pending p = admits.get(i);
                reply(p.request(), new ClientReply.JobAccepted(a.job().id(), p.submissionId(), a.duplicate()));
            }
        }
        after.forEach(Runnable::run);
    }

    /** Scoped by user, so one user's ids cannot collide with another's; the broker's id when none is given. */
    private static String submissionKey(Message m, ClientRequest.SubmitJob submit) throws JMSException {
        if (submit.submissionId() != null && !submit.submissionId().isBlank()) {
            return "c:" + submit.spec().user() + ":" + submit.submissionId();
        }
        return "m:" + m.getJMSMessageID();
    }

    static String bodyOf(Message m) throws ProtocolException, JMSException {
        if (m instanceof TextMessage t) {
            if (t.getText() == null) {
                throw new ProtocolException("message body is empty");
            }
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            long length = b.getBodyLength();
            if (length > MessageCodec.MAX_BYTES) {
                throw new ProtocolException("message body is " + length + " bytes; the limit is "
                        + MessageCodec.MAX_BYTES);
            }
            byte[] bytes = new byte[(int) length];
            b.reset();
            b.readBytes(bytes);
            return MessageCodec.text(bytes);
        }
        throw new ProtocolException("message body must be JSON text (a text or bytes message), not a "
                + m.getClass().getSimpleName().replace("ActiveMQ", ""));
    }

    private void reject(Message m, String submissionId, String reason, String field) throws JMSException {
        LOG.info("rejected a request: {}", reason);
        if (m.getJMSReplyTo() != null) {
            reply(m, new ClientReply.JobRejected(submissionId, reason, field));
            return;
        }
        synchronized (replySession) {
            TextMessage dead = replySession.createTextMessage(MessageCodec.encode(
                    new ClientReply.JobRejected(submissionId, reason, field)));
            dead.setStringProperty("cadreRejectReason", reason);
            dead.setStringProperty("cadreOriginalMessageId", m.getJMSMessageID());
            replies.send(replySession.createQueue(Destinations.DEAD_LETTERS), dead);
        }
    }

    private void reply(Message request, ClientReply reply) {
        try {
            Destination to = request.getJMSReplyTo();
            if (to == null) {
                return;
            }
            String correlation = request.getJMSCorrelationID() != null ? request.getJMSCorrelationID()
                    : request.getJMSMessageID();
            synchronized (replySession) {
                TextMessage m = replySession.createTextMessage(MessageCodec.encode(reply));
                m.setJMSCorrelationID(correlation);
                m.setStringProperty("type", MessageCodec.typeName(reply));
                replies.send(to, m);
            }
        } catch (JMSException e) {
            // The client may have gone away with its reply queue; its job is stored all the same.
            LOG.info("could not deliver a reply: {}", e.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        super.close();
        replySession.close();
    }
}
