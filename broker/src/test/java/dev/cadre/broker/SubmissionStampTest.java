package dev.cadre.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOMP and AMQP senders set no message id, so the scheduler keys such a submission on the id the broker stamps on
 * it: the id must be the broker's (a sender cannot pick it, whatever address form it names) and stay the same when
 * the message is delivered again, after a rollback and after a restart of the broker from its journal, small or
 * large, whatever the protocol.
 */
class SubmissionStampTest {
    private static final long WAIT_MS = 10_000;
    private static final String FORGED = "forged-by-the-sender";
    /** Past the 100 KiB at which the clients and AMQP would otherwise store a message as a large message. */
    private static final int LARGE = 300_000;
    @TempDir
    Path dir;

    @Test
    void everySubmissionKeepsTheBrokersIdThroughRedeliveryAndARestart() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker.Settings settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users);
        Map<String, String> stamps;
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start()) {
            try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
                String receipt = stomp.sendPersistent(Destinations.SUBMIT, "via:stomp\n" + SubmissionStamp.PROPERTY
                        + ":" + FORGED + "\n", "{\"type\":\"submit-job\"}".getBytes(StandardCharsets.UTF_8));
                assertTrue(receipt.startsWith("RECEIPT"), receipt);
            }
            var amqpFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
            try (Connection amqp = amqpFactory.createConnection(users.submitter().user(),
                    users.submitter().password())) {
                send(amqp, Destinations.SUBMIT, "amqp", 10);
                send(amqp, Destinations.SUBMIT, "amqp-large", LARGE);
            }
            try (Connection core = BrokerConnections.open("tcp://127.0.0.1:" + broker.corePort(), users.submitter(),
                    "stamp-test")) {
                send(core, Destinations.SUBMIT, "core-large", LARGE);
                // The queue named too: the same address, so stamped the same.
                send(core, Destinations.SUBMIT + "::" + Destinations.SUBMIT, "core-fqqn", 10);
            }
            try (Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "stamp-test")) {
                Session session = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
                stamps = receiveAll(consumer);
                for (var e : stamps.entrySet()) {
                    assertNotNull(e.getValue(), e.getKey() + ": the broker stamped it");
                    assertNotEquals(FORGED, e.getValue(), e.getKey() + ": the sender's own value is overwritten");
                }
                assertEquals(stamps.size(), new HashSet<>(stamps.values()).size(), "each its own id: " + stamps);
                session.rollback();
                assertEquals(stamps, receiveAll(consumer), "redelivered after the rollback with the same ids");
                session.rollback();
            }
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start();
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "stamp-test")) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            assertEquals(stamps, receiveAll(consumer), "after the restart, every submission keeps its id");
            session.commit();
        }
    }

    @Test
    void anAmqpSubmissionNeverDeliveredBeforeARestartIsStampedAfterIt() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker.Settings settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users);
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start()) {
            var amqpFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + broker.amqpPort());
            try (Connection amqp = amqpFactory.createConnection(users.submitter().user(),
                    users.submitter().password())) {
                send(amqp, Destinations.SUBMIT, "amqp", 10);
            }
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start();
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "stamp-test")) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = session.createConsumer(session.createQueue(Destinations.SUBMIT)).receive(WAIT_MS);
            assertNotNull(m, "the submission is still there");
            assertNotNull(m.getStringProperty(SubmissionStamp.PROPERTY), "stamped in the journal, not only in memory");
            assertNotEquals(FORGED, m.getStringProperty(SubmissionStamp.PROPERTY));
        }
    }

    private static Map<String, String> receiveAll(MessageConsumer consumer) throws Exception {
        Map<String, String> stamps = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            Message m = consumer.receive(WAIT_MS);
            assertNotNull(m, "submission " + i + " of 5 arrives; so far " + stamps);
            stamps.put(m.getStringProperty("via"), m.getStringProperty(SubmissionStamp.PROPERTY));
        }
        return stamps;
    }

    private static void send(Connection c, String queue, String via, int padding) throws Exception {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            TextMessage m = s.createTextMessage("{\"type\":\"submit-job\",\"pad\":\"" + "y".repeat(padding) + "\"}");
            m.setStringProperty("via", via);
            m.setStringProperty(SubmissionStamp.PROPERTY, FORGED);
            p.send(m);
        }
    }

    /**
     * A STOMP request sent as bytes (with content-length) above Artemis' 100 KiB large-message default reaches its
     * reader whole, from its first byte, up to the protocol's 1 MiB body limit, and keeps its stamp as a small one.
     */
    @Test
    void largeStompBytesBodiesArriveWholeAndKeepTheirStamp() throws Exception {
        BrokerUsers users = BrokerUsers.generate();
        EmbeddedBroker.Settings settings = new EmbeddedBroker.Settings(dir, "127.0.0.1", 0, 0, 0, users);
        Map<String, byte[]> sent = new LinkedHashMap<>();
        sent.put("batch", submitJobs(200 << 10));
        sent.put("near-limit", padded(MessageCodec.MAX_BYTES - 16));
        Map<String, String> stamps;
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start();
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "large-stomp")) {
            // Already waiting, as the scheduler is when a request comes in.
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            try (StompFrames stomp = new StompFrames(broker.stompPort(), users.submitter())) {
                for (var e : sent.entrySet()) {
                    String receipt = stomp.sendPersistent(Destinations.SUBMIT, "via:" + e.getKey() + "\n"
                            + SubmissionStamp.PROPERTY + ":" + FORGED + "\n", e.getValue());
                    assertTrue(receipt.startsWith("RECEIPT"), receipt);
                }
            }
            stamps = receiveWhole(consumer, sent);
            session.rollback();
            assertEquals(stamps, receiveWhole(consumer, sent), "redelivered whole, with the same stamps");
            session.rollback();
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(settings).start();
                Connection c = BrokerConnections.open(EmbeddedBroker.IN_VM_URL, users.admin(), "large-stomp")) {
            Session session = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            assertEquals(stamps, receiveWhole(consumer, sent), "after a restart, whole and with the same stamps");
            session.commit();
        }
    }

    /**
     * Each message's stamp by its via property, each body checked byte for byte against what was sent. Gathered as
     * the scheduler gathers a batch (BatchingConsumer): the first received, the rest taken while there are any,
     * before any body is read.
     */
    private static Map<String, String> receiveWhole(MessageConsumer consumer, Map<String, byte[]> sent)
            throws Exception {
        List<Message> batch = new ArrayList<>();
        while (batch.size() < sent.size()) {
            Message m = batch.isEmpty() ? null : consumer.receiveNoWait();
            m = m == null ? consumer.receive(WAIT_MS) : m;
            assertNotNull(m, "message " + batch.size() + " of " + sent.size() + " arrives");
            batch.add(m);
        }
        Map<String, String> stamps = new LinkedHashMap<>();
        for (Message m : batch) {
            String via = m.getStringProperty("via");
            BytesMessage bytes = assertInstanceOf(BytesMessage.class, m, via + ": content-length makes it bytes");
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.reset();
            bytes.readBytes(body);
            assertEquals(sent.get(via).length, body.length, via + ": the whole body");
            assertArrayEquals(sent.get(via), body, via + ": from its first byte");
            String stamp = m.getStringProperty(SubmissionStamp.PROPERTY);
            assertNotNull(stamp, via + ": stamped");
            assertNotEquals(FORGED, stamp, via + ": the broker's stamp, not the sender's");
            stamps.put(via, stamp);
        }
        return stamps;
    }

    /** A submit-jobs of about the given size, its jobs numbered so that a body read from the wrong place shows. */
    private static byte[] submitJobs(int size) {
        StringBuilder json = new StringBuilder("{\"version\":1,\"type\":\"submit-jobs\",\"jobs\":[");
        for (int i = 0; json.length() < size; i++) {
            json.append(i == 0 ? "" : ",").append("{\"submissionId\":\"batch-").append(i)
                    .append("\",\"spec\":{\"name\":\"job-").append(i).append("\",\"user\":\"alice\",\"script\":")
                    .append("\"#!/bin/sh\\necho ").append("x".repeat(200)).append("\\n\",\"workDir\":\"/tmp\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] padded(int size) {
        String head = "{\"type\":\"submit-job\",\"pad\":\"";
        return (head + "y".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
