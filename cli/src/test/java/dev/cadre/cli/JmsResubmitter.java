package dev.cadre.cli;

import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JMS counterpart of cli/src/test/python/resubmission.py: submits jobs with fixed submission ids at a steady
 * rate over plain Artemis JMS, logs each acceptance ("submissionId jobId", flushed), and after losing the broker
 * reconnects and sends everything without an acceptance again with the same id.
 */
final class JmsResubmitter {
    record Outcome(int accepted, int acceptances, int connections, List<String> problems) {
    }

    private final HeadBroker broker;
    private final List<String> ids = new ArrayList<>();
    private final double perSecond;
    private final int window;
    private final Path workDir;
    private final Path ranLog;
    private final Map<String, Long> accepted = new HashMap<>();
    private final Set<String> unanswered = new HashSet<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private int acceptances;
    private boolean lost;
    /** Index of the first submission never sent. */
    private int next;

    JmsResubmitter(HeadBroker broker, String prefix, int count, double perSecond, int window, Path workDir,
            Path ranLog) {
        this.broker = broker;
        for (int n = 0; n < count; n++) {
            ids.add(String.format("%s-%05d", prefix, n));
        }
        this.perSecond = perSecond;
        this.window = window;
        this.workDir = workDir;
        this.ranLog = ranLog;
    }

    synchronized int acceptedCount() {
        return accepted.size();
    }

    Outcome run(Path acceptLog, Instant deadline) throws IOException, InterruptedException {
        Instant started = Instant.now();
        int connections = 0;
        try (BufferedWriter log = Files.newBufferedWriter(acceptLog)) {
            while (acceptedCount() < ids.size() && Instant.now().isBefore(deadline)) {
                Connection connection;
                try {
                    connection = broker.connect(broker.submitter());
                } catch (JMSException e) {
                    pauseBeforeReconnecting(deadline);
                    continue;
                }
                connections++;
                try {
                    submitUntilLost(connection, log, started, deadline);
                } catch (JMSException e) {
                    System.out.println("JMS client lost the broker: " + e);
                } finally {
                    closeQuietly(connection);
                }
            }
        }
        synchronized (this) {
            ids.stream().filter(id -> !accepted.containsKey(id)).limit(20)
                    .forEach(id -> problems.add(id + " was never accepted"));
            return new Outcome(accepted.size(), acceptances, connections, List.copyOf(problems));
        }
    }

    /** Sends what is due until everything is accepted, the connection fails or the deadline passes. */
    private void submitUntilLost(Connection connection, BufferedWriter log, Instant started, Instant deadline)
            throws JMSException, InterruptedException {
        Deque<String> again;
        synchronized (this) {
            lost = false;
            unanswered.clear();
            again = new ArrayDeque<>(ids.subList(0, next).stream().filter(id -> !accepted.containsKey(id)).toList());
        }
        connection.setExceptionListener(e -> connectionLost());
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Session replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue replies = replySession.createTemporaryQueue();
        replySession.createConsumer(replies).setMessageListener(m -> onReply(m, log));
        MessageProducer producer = session.createProducer(session.createQueue(Destinations.SUBMIT));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        System.out.println("JMS client connected; sending " + again.size() + " again");
        while (Instant.now().isBefore(deadline)) {
            String sid;
            synchronized (this) {
                if (lost || accepted.size() == ids.size()) {
                    break;
                }
                Instant due = started.plusMillis((long) (next * 1000 / perSecond));
                sid = unanswered.size() >= window ? null : !again.isEmpty() ? again.poll()
                        : next < ids.size() && !Instant.now().isBefore(due) ? ids.get(next++) : null;
                if (sid == null) {
                    wait(50);
                    continue;
                }
                unanswered.add(sid);
            }
            TextMessage m = session.createTextMessage(MessageCodec.encode(new ClientRequest.SubmitJob(sid, spec(sid))));
            m.setJMSCorrelationID(sid);
            m.setJMSReplyTo(replies);
            producer.send(m);
        }
    }

    private JobSpec spec(String sid) {
        return JobSpec.builder().name("durable").user("durability").workDir(workDir.toString())
                .script("#!/bin/sh\necho " + sid + " >> " + ranLog + "\n").build();
    }

    private synchronized void connectionLost() {
        lost = true;
        notifyAll();
    }

    private synchronized void onReply(Message m, BufferedWriter log) {
        try {
            ClientReply reply = MessageCodec.decode(((TextMessage) m).getText(), ClientReply.class);
            if (!(reply instanceof ClientReply.JobAccepted a)) {
                problems.add("refused: " + reply);
                return;
            }
            log.write(a.submissionId() + " " + a.jobId() + "\n");
            log.flush();
            acceptances++;
            Long first = accepted.putIfAbsent(a.submissionId(), a.jobId());
            if (first != null && first != a.jobId()) {
                problems.add(a.submissionId() + " was accepted as job " + first + " and as job " + a.jobId());
            }
            unanswered.remove(a.submissionId());
            notifyAll();
        } catch (Exception e) {
            problems.add("unreadable reply: " + e);
        }
    }

    private synchronized void pauseBeforeReconnecting(Instant deadline) throws InterruptedException {
        wait(Math.max(1, Math.min(250, Duration.between(Instant.now(), deadline).toMillis())));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException e) {
            // Already broken with the broker; nothing is left to release on its side.
        }
    }
}
