package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cadre.cli.CaseFile.Reply;
import dev.cadre.cli.CaseFile.SubmissionCase;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobSpecValidator;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.ProtocolException;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a fuzz run must show: every case with a reply-to got exactly one readable reply, every case without one
 * was either stored or dead-lettered with its reason, and every stored job is valid. Problems are collected
 * rather than thrown at the first, so that one run reports all it found.
 */
final class FuzzVerdicts {
    private final Map<String, SubmissionCase> cases = new HashMap<>();
    /** Each case's submissionId as sent, read once: bodies run to megabytes. */
    private final Map<String, JsonNode> sentIds = new HashMap<>();
    private final long lastIdBefore;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final Map<Long, String> acceptedJobs = new HashMap<>();
    /** The case whose reply first named each accepted job. */
    private final Map<Long, String> firstAcceptedCase = new HashMap<>();
    private int acceptedButUnreadable;
    private int deadLetters;

    FuzzVerdicts(List<SubmissionCase> sent, List<Reply> replies, long lastIdBefore) {
        sent.forEach(c -> cases.put(c.id(), c));
        sent.forEach(c -> sentIds.put(c.id(), sentSubmissionId(c)));
        this.lastIdBefore = lastIdBefore;
        Map<String, List<Reply>> byCase = byCase(replies);
        for (SubmissionCase c : sent) {
            int got = byCase.getOrDefault(c.id(), List.of()).size();
            if (got != (c.replyTo() ? 1 : 0)) {
                problems.add(c.id() + " (" + c.kind() + (c.replyTo() ? "" : ", no reply-to") + ") got " + got
                        + " replies");
            }
        }
        byCase.keySet().stream().filter(id -> !cases.containsKey(id))
                .forEach(id -> problems.add("replies to no case: " + byCase.get(id)));
        replies.forEach(this::judge);
    }

    static Map<String, List<Reply>> byCase(List<Reply> replies) {
        Map<String, List<Reply>> byCase = new HashMap<>();
        replies.forEach(r -> byCase.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
        return byCase;
    }

    private void judge(Reply r) {
        if (r.refused() != null) {
            problems.add(r.id() + " was refused by the broker (" + r.refused() + "), so it never got a reply");
            return;
        }
        if (r.body() == null) {
            problems.add(r.id() + " got an unreadable " + r.type() + " reply: " + r.unreadable());
            acceptedButUnreadable += "job-accepted".equals(r.type()) ? 1 : 0;
            return;
        }
        try {
            ClientReply reply = MessageCodec.decode(r.body(), ClientReply.class);
            if (reply instanceof ClientReply.JobAccepted a) {
                // A second acceptance of one job is right only for the same submission id sent again, as text
                // by both: a number taken for text once made "submissionId": 1.5 from two senders one job.
                boolean again = acceptedJobs.containsKey(a.jobId());
                String first = acceptedJobs.putIfAbsent(a.jobId(), a.submissionId());
                String firstCase = firstAcceptedCase.putIfAbsent(a.jobId(), r.id());
                JsonNode sent = sentId(r.id());
                if (again && (first == null || !first.equals(a.submissionId()) || !sent.isTextual()
                        || !sent.equals(sentId(firstCase)))) {
                    problems.add(r.id() + " was accepted as job " + a.jobId() + ", which " + firstCase + " ("
                            + first + ") got: " + a + "; sent submission ids " + sent + " and " + sentId(firstCase));
                }
                outcomes.merge(again ? "accepted again" : "accepted", 1, Integer::sum);
            } else if (reply instanceof ClientReply.JobRejected j) {
                outcomes.merge(j.code().wireName(), 1, Integer::sum);
            } else {
                outcomes.merge(MessageCodec.typeName(reply), 1, Integer::sum);
            }
        } catch (ProtocolException e) {
            problems.add(r.id() + " got a reply that is not a valid reply (" + e.getMessage() + "): " + r.body());
        }
    }

    private JsonNode sentId(String caseId) {
        return sentIds.getOrDefault(caseId, MissingNode.getInstance());
    }

    /** The submissionId a case sent, as JSON (missing if the body is not a JSON object or has none). */
    private static JsonNode sentSubmissionId(SubmissionCase c) {
        if (c.kind().equals("map")) {
            return c.body().path("submissionId");
        }
        if (!c.kind().equals("text") && !c.kind().equals("bytes")) {
            return MissingNode.getInstance();
        }
        try {
            return MessageCodec.mapper().readTree(c.bytes()).path("submissionId");
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    List<JobRecord> storedFuzzJobs(Path dataDir) {
        return StoredJobs.all(dataDir).stream().filter(j -> j.id() > lastIdBefore).toList();
    }

    /**
     * Drains the dead letters until they and the stored jobs account for every case sent without a reply-to
     * (each is either stored or dead-lettered, or else it repeats another case's submission id and its job is
     * already stored), then checks every stored job against the validator.
     */
    void checkStoredAndDeadLettered(Path dataDir, Connection admin, Duration timeout) throws JMSException {
        long withoutReplyTo = cases.values().stream().filter(c -> !c.replyTo()).count();
        Map<JsonNode, Long> timesSent = sentIds.values().stream().filter(JsonNode::isTextual)
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        long mayRepeat = cases.values().stream().filter(c -> !c.replyTo()).map(c -> sentId(c.id()))
                .filter(id -> timesSent.getOrDefault(id, 0L) > 1).count();
        Session session = admin.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.DEAD_LETTERS));
        Instant deadline = Instant.now().plus(timeout);
        long unexplained;
        do {
            for (Message m = consumer.receive(200); m != null; m = consumer.receive(200)) {
                judgeDeadLetter(m);
            }
            unexplained = withoutReplyTo - deadLetters
                    - (storedFuzzJobs(dataDir).size() - acceptedJobs.size() - acceptedButUnreadable);
        } while ((unexplained < 0 || unexplained > mayRepeat) && Instant.now().isBefore(deadline));
        List<JobRecord> stored = storedFuzzJobs(dataDir);
        if (unexplained < 0 || unexplained > mayRepeat) {
            problems.add(withoutReplyTo + " cases had no reply-to (" + mayRepeat + " repeating another case's"
                    + " submission id), " + deadLetters + " dead letters came, and " + stored.size()
                    + " jobs were stored for " + acceptedJobs.size() + " acceptances (+" + acceptedButUnreadable
                    + " unreadable): " + unexplained + " cases unaccounted for");
        }
        Set<Long> storedIds = new HashSet<>();
        for (JobRecord j : stored) {
            storedIds.add(j.id());
            var invalid = JobSpecValidator.validate(j.spec());
            if (!invalid.isEmpty()) {
                problems.add("job " + j.id() + " was stored with an invalid spec: " + invalid);
            }
        }
        acceptedJobs.keySet().stream().filter(id -> !storedIds.contains(id))
                .forEach(id -> problems.add("job " + id + " was accepted but is not stored"));
    }

    private void judgeDeadLetter(Message m) throws JMSException {
        deadLetters++;
        SubmissionCase c = cases.get(m.getJMSCorrelationID());
        String reason = m.getStringProperty("cadreRejectReason");
        if (c == null || c.replyTo()) {
            problems.add("dead letter for " + m.getJMSCorrelationID() + ", not a case sent without reply-to: " + m);
        } else if (reason == null || reason.isBlank() || !(m instanceof TextMessage t)) {
            problems.add("dead letter for " + c.id() + " without a rejection and its reason: " + m);
        } else {
            try {
                var rejected = (ClientReply.JobRejected) MessageCodec.decode(t.getText(), ClientReply.class);
                if (!reason.equals(rejected.reason())) {
                    problems.add("dead letter for " + c.id() + " gives two reasons: " + reason + " / " + rejected);
                }
            } catch (ProtocolException | ClassCastException e) {
                problems.add("dead letter for " + c.id() + " is not a job-rejected message: " + t.getText());
            }
        }
    }

    String report() {
        return "replies " + outcomes + ", " + acceptedJobs.size() + " jobs accepted, " + deadLetters
                + " dead letters, " + problems.size() + " problems";
    }

    void assertNoProblems() {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problems in the fuzz run:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(60, problems.size()))));
        }
    }
}
