package dev.cadre.scheduler;

import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes cadre.submit. A batch is validated, admitted to SQLite in one transaction, answered, and only then
 * acknowledged: a crash before the acknowledgement redelivers, and the unique submission key makes the
 * redelivery return the same job.
 */
final class SubmissionIntake extends BatchingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);
    private final SchedulerService service;
    private final Clock clock;
    private final ReplySender replies;

    SubmissionIntake(Connection connection, SchedulerService service, Clock clock, int batchSize)
            throws JMSException {
        super(connection, Destinations.SUBMIT, batchSize, "cadre-submissions");
        this.service = service;
        this.clock = clock;
        this.replies = new ReplySender(connection);
    }

    private record Pending(Message request, String submissionId, JobStore.NewJob job) {
    }

    private record Cancel(Message request, ClientRequest.CancelJob cancel) {
    }

    @Override
    void handle(Session session, List<Message> batch) throws Exception {
        List<Pending> admits = new ArrayList<>();
        List<Cancel> cancels = new ArrayList<>();
        for (Message m : batch) {
            ClientRequest request;
            try {
                request = MessageCodec.decode(bodyOf(m), ClientRequest.class);
            } catch (ProtocolException e) {
                reject(m, null, e.code(), e.getMessage(), e.field());
                continue;
            }
            if (request instanceof ClientRequest.SubmitJob submit) {
                var problems = JobSpecValidator.validate(submit);
                if (!problems.isEmpty()) {
                    reject(m, submit.submissionId(), RejectionCode.INVALID_FIELD,
                            problems.stream().map(Object::toString).collect(Collectors.joining("; ")),
                            problems.get(0).field());
                    continue;
                }
                admits.add(new Pending(m, submit.submissionId(), new JobStore.NewJob(submissionKey(m, submit),
                        submit.spec(), clock.instant(), "None")));
            } else {
                cancels.add(new Cancel(m, (ClientRequest.CancelJob) request));
            }
        }
        if (!admits.isEmpty()) {
            List<JobStore.Admission> admitted = service.admit(admits.stream().map(Pending::job).toList());
            for (int i = 0; i < admitted.size(); i++) {
                JobStore.Admission a = admitted.get(i);
                JobRecord j = a.job();
                boolean ended = j.state().isTerminal();
                replies.reply(admits.get(i).request(), new ClientReply.JobAccepted(j.id(),
                        admits.get(i).submissionId(), a.duplicate(), j.state(), ended ? j.exitCode() : null,
                        ended ? j.signal() : null));
            }
        }
        for (Cancel c : cancels) {
            replies.reply(c.request(), service.cancel(c.cancel().jobId()).result());
        }
        replies.flush();
    }

    /**
     * Scoped by user, so one user's ids cannot collide with another's. Without a client id the broker's message
     * id still makes a redelivery idempotent; a message with neither (some AMQP senders) gets a fresh key.
     */
    private static String submissionKey(Message m, ClientRequest.SubmitJob submit) throws JMSException {
        if (submit.submissionId() != null && !submit.submissionId().isBlank()) {
            return "c:" + submit.spec().user() + ":" + submit.submissionId();
        }
        String messageId = m.getJMSMessageID();
        return messageId != null ? "m:" + messageId : "u:" + UUID.randomUUID();
    }

    static String bodyOf(Message m) throws ProtocolException, JMSException {
        if (m instanceof TextMessage t) {
            if (t.getText() == null) {
                throw new ProtocolException(RejectionCode.MALFORMED, "message body is empty");
            }
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            long length = b.getBodyLength();
            if (length > MessageCodec.MAX_BYTES) {
                throw new ProtocolException(RejectionCode.TOO_LARGE, "message body is " + length
                        + " bytes; the limit is " + MessageCodec.MAX_BYTES);
            }
            byte[] bytes = new byte[(int) length];
            b.reset();
            b.readBytes(bytes);
            return MessageCodec.text(bytes);
        }
        String kind = m.getClass().getSimpleName().replace("ActiveMQ", "");
        throw new ProtocolException(RejectionCode.WRONG_BODY, kind.equals("Message")
                ? "message has no body; send the JSON request as text"
                : "message body must be JSON text (a text or bytes message), not a " + kind);
    }

    private void reject(Message m, String submissionId, RejectionCode code, String reason, String field)
            throws JMSException {
        LOG.info("rejected a request ({}): {}", code.wireName(), reason);
        var rejection = new ClientReply.JobRejected(submissionId, code, reason, field);
        if (m.getJMSReplyTo() != null) {
            replies.reply(m, rejection);
        } else {
            replies.deadLetter(m, rejection);
        }
    }

    @Override
    public void close() throws Exception {
        super.close();
        replies.close();
    }
}
