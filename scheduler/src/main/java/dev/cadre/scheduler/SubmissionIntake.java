package dev.cadre.scheduler;

import dev.cadre.broker.BrokerLimits;
import dev.cadre.broker.SubmissionStamp;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.RequestIds;
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

    /** A request's answer being assembled: one slot per submission it carries. */
    private record Answer(Message request, boolean batch, ClientReply[] results) {
    }

    private record Pending(Answer answer, int slot, String submissionId, JobStore.NewJob job) {
    }

    /** scancel or scontrol: answered after the batch's submissions, in the order they came. */
    private record Control(Message request, ClientRequest body) {
    }

    /**
     * The submissions of a batch share the time until their answers are queued evenly (sdiag's ave_time); each other
     * request is timed alone.
     */
    @Override
    void handle(Session session, List<Message> batch) throws Exception {
        long started = System.nanoTime();
        int singles = 0;
        int batches = 0;
        List<Answer> answers = new ArrayList<>();
        List<Pending> admits = new ArrayList<>();
        List<Control> controls = new ArrayList<>();
        for (Message m : batch) {
            ClientRequest request;
            try {
                request = MessageCodec.decode(bodyOf(m), ClientRequest.class);
            } catch (ProtocolException e) {
                reject(m, null, e.code(), e.getMessage(), e.field());
                continue;
            }
            if (request instanceof ClientRequest.SubmitJob submit) {
                singles++;
                Answer answer = new Answer(m, false, new ClientReply[1]);
                ClientReply.JobRejected invalid = admission(answer, 0, submit, admits);
                if (invalid != null) {
                    reject(m, submit.submissionId(), invalid.code(), invalid.reason(), invalid.field());
                    continue;
                }
                answers.add(answer);
            } else if (request instanceof ClientRequest.SubmitJobs many) {
                batches++;
                var problems = JobSpecValidator.validateEnvelope(many);
                if (!problems.isEmpty()) {
                    reject(m, null, RejectionCode.INVALID_FIELD, joined(problems), problems.get(0).field());
                    continue;
                }
                Answer answer = new Answer(m, true, new ClientReply[many.jobs().size()]);
                for (int i = 0; i < many.jobs().size(); i++) {
                    answer.results()[i] = admission(answer, i, many.jobs().get(i).asRequest(), admits);
                }
                answers.add(answer);
            } else if (request instanceof ControlRequest control
                    && RequestIds.problem(control.requestId()) != null) {
                reject(m, null, RejectionCode.INVALID_FIELD, "requestId: " + RequestIds.problem(control.requestId()),
                        "requestId");
            } else {
                controls.add(new Control(m, request));
            }
        }
        if (!admits.isEmpty()) {
            var outcomes = service.admitOrReject(admits.stream().map(Pending::job).toList());
            for (int i = 0; i < outcomes.size(); i++) {
                Pending p = admits.get(i);
                p.answer().results()[p.slot()] = answer(p.submissionId(), outcomes.get(i));
            }
        }
        for (Answer a : answers) {
            if (!a.batch() && a.results()[0] instanceof ClientReply.JobRejected r) {
                reject(a.request(), r.submissionId(), r.code(), r.reason(), r.field());
            } else {
                send(a);
            }
        }
        long each = singles + batches == 0 ? 0 : (System.nanoTime() - started) / (singles + batches);
        service.statistics().handled("submit-job", singles, each * singles);
        service.statistics().handled("submit-jobs", batches, each * batches);
        for (Control c : controls) {
            long controlStarted = System.nanoTime();
            if (c.body() instanceof ClientRequest.ForecastStarts f) {
                // Planned and answered on the forecasts' thread, off the lock; nothing to plan without a reply-to.
                ReplySender.Address to = ReplySender.addressOf(c.request());
                if (to != null) {
                    service.forecastLater(f, to).ifPresent(now -> replies.reply(to, now));
                }
            } else {
                replies.reply(c.request(), service.control(c.body(),
                        c.request().getStringProperty(SubmissionStamp.PROPERTY)));
            }
            service.statistics().handled(MessageCodec.typeName(c.body()), 1, System.nanoTime() - controlStarted);
        }
        replies.flush();
    }

    /** A stored job's acceptance, or the refusal of one the cluster could never hold or that depends on no job. */
    private static ClientReply answer(String submissionId, SubmissionScreening.AdmitOutcome outcome) {
        if (outcome.rejection() != null) {
            return new ClientReply.JobRejected(submissionId, outcome.rejection().code(),
                    outcome.rejection().problem().toString(), outcome.rejection().problem().field());
        }
        JobRecord j = outcome.admission().job();
        boolean ended = j.state().isTerminal();
        return new ClientReply.JobAccepted(j.id(), submissionId, outcome.admission().duplicate(), j.state(),
                ended ? j.exitCode() : null, ended ? j.signal() : null);
    }

    /** Queues a valid submission for admission into its answer's slot; returns the rejection of an invalid one. */
    private ClientReply.JobRejected admission(Answer answer, int slot, ClientRequest.SubmitJob submit,
            List<Pending> admits) throws JMSException {
        var problems = JobSpecValidator.validate(submit);
        if (!problems.isEmpty()) {
            return new ClientReply.JobRejected(submit.submissionId(), RejectionCode.INVALID_FIELD, joined(problems),
                    problems.get(0).field());
        }
        admits.add(new Pending(answer, slot, submit.submissionId(), new JobStore.NewJob(
                submissionKey(answer, slot, submit), submit.spec(), clock.instant(), "None")));
        return null;
    }

    private void send(Answer a) throws JMSException {
        if (!a.batch()) {
            replies.reply(a.request(), a.results()[0]);
            return;
        }
        var reply = new ClientReply.JobsSubmitted(List.of(a.results()));
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < a.results().length; i++) {
            if (a.results()[i] instanceof ClientReply.JobRejected r) {
                refused.add("jobs[" + i + "]: " + r.reason());
            }
        }
        if (ReplySender.replyTo(a.request()) != null) {
            replies.reply(a.request(), reply);
        } else if (!refused.isEmpty()) {
            LOG.info("rejected {} of a batch's {} submissions", refused.size(), a.results().length);
            replies.deadLetter(a.request(), reply, String.join("; ", refused));
        }
    }

    private static String joined(List<JobSpecValidator.Problem> problems) {
        return problems.stream().map(Object::toString).collect(Collectors.joining("; "));
    }

    /**
     * Scoped by user, so one user's ids cannot collide with another's. Without a client id the id the broker
     * stamped on the message ({@link SubmissionStamp}, kept with it in the journal) and the entry's place in a
     * batch still make a redelivery idempotent, whatever protocol it came by.
     */
    private static String submissionKey(Answer answer, int slot, ClientRequest.SubmitJob submit)
            throws JMSException {
        if (submit.submissionId() != null && !submit.submissionId().isBlank()) {
            return "c:" + submit.spec().user() + ":" + submit.submissionId();
        }
        String stamp = answer.request().getStringProperty(SubmissionStamp.PROPERTY);
        if (stamp == null) {
            // Only a broker without the stamp (not Cadre's) delivers such a message.
            LOG.warn("a submission without the broker's intake id: a redelivery of it would be a new job");
            return "u:" + UUID.randomUUID();
        }
        return answer.batch() ? "s:" + stamp + "#" + slot : "s:" + stamp;
    }

    static String bodyOf(Message m) throws ProtocolException, JMSException {
        // Before anything is read: a large message is read whole by getText or readBytes. A text body may take up
        // to 4 bytes a character as the client holds it, hence the broker's wider limit; the exact one follows.
        long size = bodySize(m);
        if (size > BrokerLimits.MAX_REQUEST_BYTES) {
            throw new ProtocolException(RejectionCode.TOO_LARGE, "message body is " + size + " bytes; the limit is "
                    + MessageCodec.MAX_BYTES);
        }
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
        if (ReplySender.replyTo(m) != null) {
            replies.reply(m, rejection);
        } else {
            replies.deadLetter(m, rejection, reason);
        }
    }

    @Override
    void abandon() {
        replies.discard();
    }

    @Override
    void fatal(Throwable e) {
        LOG.error("submission intake stopped", e);
        service.fatal(e);
    }

    @Override
    public void close() throws Exception {
        super.close();
        replies.close();
    }
}
