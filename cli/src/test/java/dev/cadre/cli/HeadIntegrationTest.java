package dev.cadre.cli;

import dev.cadre.node.core.ProcessTracking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.broker.BrokerConnections;
import dev.cadre.broker.ClientFile;
import dev.cadre.broker.Credentials;
import dev.cadre.db.Database;
import dev.cadre.db.JobEventRow;
import dev.cadre.db.JobStore;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobEvent;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.JobTransitions;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head's real parts in this JVM: embedded Artemis, a SQLite file, Jetty, a node-runner, real processes. */
class HeadIntegrationTest {
    @TempDir
    static Path dir;
    private static Head head;
    private static ClientFile client;

    @BeforeAll
    static void start() throws Exception {
        head = new Head(new Head.Options(dir.resolve("data"), "127.0.0.1", 0, CadreProcess.freePort(),
                CadreProcess.freePort(), CadreProcess.freePort(), true, dev.cadre.scheduler.core.SchedulerSettings.defaults(Duration.ofSeconds(10)),
                Duration.ofMillis(500), Duration.ofSeconds(2), 4, "cadre", Head.Options.NO_MDNS, null,
                ProcessTracking.Mode.AUTO)).start();
        client = head.clientFile();
    }

    @AfterAll
    static void stop() {
        head.close();
    }

    private static HttpResponse<String> http(String method, String path, String body, String token) throws Exception {
        return RestCall.send(client.httpUrl(), method, path, body, token);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return RestCall.json(r);
    }

    private static String submitBody(String submissionId, String command) {
        return "{\"submissionId\":\"" + submissionId + "\",\"spec\":{\"name\":\"t\",\"user\":\"alice\","
                + "\"script\":\"#!/bin/sh\\n" + command + "\\n\",\"workDir\":\"" + dir + "\"}}";
    }

    private static JsonNode awaitState(long id, JobState state) throws Exception {
        JsonNode[] last = new JsonNode[1];
        CadreProcess.await("job " + id + " to be " + state, Duration.ofSeconds(30), () -> {
            try {
                last[0] = json(http("GET", "/api/jobs/" + id, null, client.token()));
                return last[0].path("state").asText().equals(state.name());
            } catch (Exception e) {
                return false;
            }
        });
        return last[0];
    }

    @Test
    void restRefusesMissingOrWrongTokensAndBadInput() throws Exception {
        HttpResponse<String> none = http("GET", "/api/jobs", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("application/problem+json", none.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(403, http("GET", "/api/jobs", null, "nope").statusCode());
        HttpResponse<String> malformed = http("POST", "/api/jobs", "{\"spec\":", client.token());
        assertEquals(400, malformed.statusCode());
        assertTrue(json(malformed).path("detail").asText().startsWith("malformed JSON"), malformed.body());
        HttpResponse<String> badField = http("POST", "/api/jobs", submitBody("x", "true")
                .replace("\"name\":\"t\"", "\"name\":\"t\",\"tasks\":-2"), client.token());
        assertEquals(400, badField.statusCode());
        assertEquals("spec.tasks", json(badField).path("field").asText(), badField.body());
        // An exclusive job's nodes hold it to memoryPerCpuMb x their CPUs: 1 MiB per node asked, 2^40 enforced.
        HttpResponse<String> badMemory = http("POST", "/api/jobs", submitBody("mem", "true").replace("\"name\":\"t\"",
                "\"name\":\"t\",\"exclusive\":true,\"memoryMb\":1,\"memoryPerCpuMb\":1099511627776"), client.token());
        assertEquals(400, badMemory.statusCode(), badMemory.body());
        assertEquals("spec.memoryPerCpuMb", json(badMemory).path("field").asText(), badMemory.body());
        assertTrue(json(badMemory).path("detail").asText().endsWith("but memoryMb is 1; give memoryMb 1099511627776"),
                badMemory.body());
        assertEquals(404, http("GET", "/api/jobs/424242", null, client.token()).statusCode());
        assertEquals(404, http("POST", "/api/jobs/424242/cancel", null, client.token()).statusCode());
        assertEquals(404, http("GET", "/api/nothing", null, client.token()).statusCode());
        assertEquals(413, http("POST", "/api/jobs", "x".repeat(MessageCodec.MAX_BYTES + 10), client.token())
                .statusCode());
    }

    @Test
    void resubmittingTheSameSubmissionIdReturnsTheSameJob() throws Exception {
        JsonNode first = json(http("POST", "/api/jobs", submitBody("same-id", "true"), client.token()));
        JsonNode second = json(http("POST", "/api/jobs", submitBody("same-id", "true"), client.token()));
        assertEquals(first.path("jobId").asLong(), second.path("jobId").asLong());
        assertTrue(second.path("duplicate").asBoolean());
        awaitState(first.path("jobId").asLong(), JobState.COMPLETED);
    }

    @Test
    void stateChangesArePublishedAndTheEventLogReplaysToTheStoredState() throws Exception {
        try (Connection c = BrokerConnections.open(client.brokerUrl(), client.credentials(), "test")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            HttpResponse<String> r = http("POST", "/api/jobs", submitBody("events-1", "exit 2"), client.token());
            assertEquals(201, r.statusCode(), r.body());
            long id = json(r).path("jobId").asLong();
            var consumer = s.createConsumer(s.createTopic(Destinations.EVENTS), "jobId = " + id);
            JsonNode done = awaitState(id, JobState.FAILED);
            assertEquals(2, done.path("exitCode").asInt());
            assertEquals(1, done.path("attempts").size());
            List<JobState> seen = new ArrayList<>();
            var m = consumer.receive(5000);
            // The subscription may start after PENDING or RUNNING were published; what arrives is in order.
            while (m != null) {
                seen.add(MessageCodec.decode(((TextMessage) m).getText(), JobEvent.JobStateChanged.class).state());
                m = consumer.receive(200);
            }
            JobStore store = new JobStore(Database.open(dir.resolve("data/cadre.db")));
            List<JobEventRow> rows = store.history().events(id);
            List<JobState> states = rows.stream().map(JobEventRow::to).toList();
            assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.FAILED), states);
            assertEquals(store.find(id).orElseThrow().state(), JobTransitions.replay(id, states));
            assertTrue(states.containsAll(seen), "published " + seen + " but stored " + states);
        }
        try (Connection c = BrokerConnections.open(client.brokerUrl(), client.credentials(), "test")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = s.createConsumer(s.createTopic(Destinations.EVENTS));
            long id = json(http("POST", "/api/jobs", submitBody("events-2", "true"), client.token())).path("jobId")
                    .asLong();
            var m = (TextMessage) consumer.receive(10_000);
            var e = MessageCodec.decode(m.getText(), JobEvent.JobStateChanged.class);
            assertEquals(id, e.jobId());
            assertEquals(JobState.PENDING, e.state());
        }
    }

    @Test
    void badMessagesOnTheSubmitQueueAreRejectedWithAReasonAndStoreNothing() throws Exception {
        int before = json(http("GET", "/api/jobs", null, client.token())).size();
        try (Connection c = BrokerConnections.open(client.brokerUrl(), client.credentials(), "test")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var replyTo = s.createTemporaryQueue();
            var replies = s.createConsumer(replyTo);
            var producer = s.createProducer(s.createQueue(Destinations.SUBMIT));
            List<jakarta.jms.Message> bad = List.of(
                    s.createTextMessage("{\"type\":\"submit-job\",\"spec\":"),
                    s.createTextMessage("{\"type\":\"format-disk\"}"),
                    s.createTextMessage(submitBody("bad-1", "true").replace("\"workDir\":", "\"nodes\":\"2\",\"workDir\":")
                            .replace("{\"submissionId", "{\"type\":\"submit-job\",\"submissionId")),
                    s.createMapMessage());
            List<String> expected = List.of("malformed JSON", "unknown message type 'format-disk'",
                    "spec.nodes: expected an integer, got a string",
                    "message body must be JSON text (a text or bytes message), not a MapMessage");
            for (int i = 0; i < bad.size(); i++) {
                bad.get(i).setJMSReplyTo(replyTo);
                bad.get(i).setJMSCorrelationID("c" + i);
                producer.send(bad.get(i));
                var reply = (TextMessage) replies.receive(10_000);
                assertEquals("c" + i, reply.getJMSCorrelationID());
                var rejected = MessageCodec.decode(reply.getText(), dev.cadre.protocol.ClientReply.JobRejected.class);
                assertTrue(rejected.reason().startsWith(expected.get(i)), rejected.reason());
            }
        }
        assertEquals(before, json(http("GET", "/api/jobs", null, client.token())).size());
        long ok = json(http("POST", "/api/jobs", submitBody("after-bad", "true"), client.token())).path("jobId").asLong();
        awaitState(ok, JobState.COMPLETED);
    }

    @Test
    void theBrokerRefusesWrongPasswordsAndKeepsSubmittersOffNodeQueues() throws Exception {
        var e = assertThrows(JMSSecurityException.class, () -> BrokerConnections.open(
                client.brokerUrl() + "?initialConnectAttempts=1&reconnectAttempts=0",
                new Credentials(client.user(), "wrong"), "test"));
        assertTrue(e.getMessage().contains("wrong or missing credentials"), e.getMessage());
        try (Connection c = BrokerConnections.open(client.brokerUrl(), client.credentials(), "test")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(JMSException.class, () -> s.createConsumer(s.createQueue(Destinations.nodeQueue("x"))));
            assertThrows(JMSException.class, () -> s.createProducer(s.createQueue(Destinations.RUNNER_EVENTS))
                    .send(s.createTextMessage("{}")));
            assertThrows(JMSException.class, () -> s.createConsumer(s.createQueue(Destinations.SUBMIT)));
            // Nothing outside cadre.* is created on demand: a reply to a vanished client cannot leak a queue.
            var gone = assertThrows(JMSException.class, () -> s.createProducer(null)
                    .send(s.createQueue("gone-client-reply-queue"), s.createTextMessage("{}")));
            assertTrue(gone.getMessage().contains("no queue with name gone-client-reply-queue"), gone.getMessage());
        }
    }
}
