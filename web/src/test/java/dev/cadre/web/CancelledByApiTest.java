package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ControlRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Who cancelled a job: the cancel action passes the body's user on to the scheduler (the API knows no caller of its
 * own), refuses one that is no user name, and the job's views carry cancelledBy once it ended CANCELLED.
 */
class CancelledByApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.mapper().readTree(r.body());
    }

    @Test
    void theCancelActionSendsTheBodysUserAndRefusesOneThatIsNoName() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            JobRecord job = server.admit(RunningWebServer.spec("a", "alice"));

            var named = cancelled(server, session, requests, job.id(), "{\"user\": \"bob\"}");
            assertEquals("bob", named.user());
            var nobody = cancelled(server, session, requests, job.id(), "{}");
            assertNull(nobody.user(), "the API knows no caller: a body without user names nobody");

            HttpResponse<String> bad = server.post("/api/jobs/" + job.id() + "/cancel", "{\"user\": \"a b\"}");
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("user", json(bad).path("field").asText());
            assertNull(requests.receiveNoWait(), "a bad user reaches no scheduler");
        }
    }

    @Test
    void aCancelledJobsViewsCarryWhoCancelledItAndOthersNone() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            JobRecord byBob = server.admit(RunningWebServer.spec("a", "alice"));
            JobRecord byNobody = server.admit(RunningWebServer.spec("b", "alice"));
            JobRecord pending = server.admit(RunningWebServer.spec("c", "alice"));
            server.jobs.save(List.of(
                    new JobChange(byBob.ended(JobState.CANCELLED, "CancelledByUser", null, null, RunningWebServer.T),
                            JobState.PENDING, RunningWebServer.T, null, "bob"),
                    new JobChange(byNobody.ended(JobState.CANCELLED, "CancelledByUser", null, null,
                            RunningWebServer.T), JobState.PENDING, RunningWebServer.T, null)));

            HttpResponse<String> one = server.get("/api/jobs/" + byBob.id());
            assertEquals(200, one.statusCode(), one.body());
            assertEquals("bob", json(one).path("cancelledBy").asText(), one.body());
            assertFalse(json(server.get("/api/jobs/" + byNobody.id())).has("cancelledBy"));

            HttpResponse<String> list = server.get("/api/jobs?state=CA,PD");
            assertEquals(200, list.statusCode(), list.body());
            JsonNode jobs = json(list);
            assertEquals(3, jobs.size(), list.body());
            for (JsonNode j : jobs) {
                long id = j.path("id").asLong();
                assertEquals(id == byBob.id() ? "bob" : null, j.has("cancelledBy") ? j.path("cancelledBy").asText()
                        : null, list.body());
            }
            assertEquals(pending.id(), jobs.get(2).path("id").asLong());
        }
    }

    /** POSTs the cancel, checks the cancel-job that reached the scheduler's queue and answers it as done. */
    private static ControlRequest.CancelJob cancelled(RunningWebServer server, Session session,
            MessageConsumer requests, long jobId, String body) throws Exception {
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return server.post("/api/jobs/" + jobId + "/cancel", body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TextMessage request = (TextMessage) requests.receive(WAIT.toMillis());
        assertNotNull(request, "no request reached the scheduler's queue");
        var asked = assertInstanceOf(ControlRequest.CancelJob.class, MessageCodec.decode(request.getText()));
        assertEquals(jobId, asked.jobId());
        TextMessage m = session.createTextMessage(MessageCodec.encode(new ClientReply.CancelResult(jobId, true,
                JobState.CANCELLED, null)));
        m.setJMSCorrelationID(request.getJMSCorrelationID());
        session.createProducer(request.getJMSReplyTo()).send(m);
        HttpResponse<String> r = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        return asked;
    }
}
