package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.protocol.ReservationRefusal;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A submission the scheduler refuses reaches a REST client with the job-rejected's code beside its field and
 * reason, so that a client such as sbatch can tell a job the cluster could never hold from a malformed one. The test
 * plays the scheduler over JMS.
 */
class SubmissionRejectionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SUBMISSION = "{\"spec\": {\"user\": \"alice\", \"workDir\": \"/tmp\", \"nodes\": 9,"
            + " \"script\": \"#!/bin/sh\\ntrue\\n\"}}";

    @Test
    void theRejectionsCodeFieldAndReasonAreInTheProblem() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer submissions = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            for (RejectionCode code : List.of(RejectionCode.UNSATISFIABLE, RejectionCode.UNKNOWN_NODE,
                    RejectionCode.UNKNOWN_DEPENDENCY, RejectionCode.INVALID_FIELD)) {
                CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.post("/api/jobs", SUBMISSION);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                TextMessage request = (TextMessage) submissions.receive(WAIT.toMillis());
                assertNotNull(request, "the submission never reached the broker");
                TextMessage reply = session.createTextMessage(MessageCodec.encode(new ClientReply.JobRejected(null,
                        code, "spec.nodes: asks 9 nodes; 1 of the 1 known nodes can hold a task", "spec.nodes")));
                reply.setJMSCorrelationID(request.getJMSCorrelationID());
                session.createProducer(request.getJMSReplyTo()).send(reply);

                HttpResponse<String> r = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(400, r.statusCode(), r.body());
                JsonNode problem = MessageCodec.mapper().readTree(r.body());
                assertEquals(code.wireName(), problem.path("code").asText(null), r.body());
                assertEquals("spec.nodes", problem.path("field").asText(null), r.body());
                assertEquals("spec.nodes: asks 9 nodes; 1 of the 1 known nodes can hold a task",
                        problem.path("detail").asText(null), r.body());
            }
        }
    }

    @Test
    void theDocumentListsEveryRejectionCodeWhyAForecastIsUnavailableAndWhyATopWasRefused() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            JsonNode codes = MessageCodec.mapper().readTree(server.get("/api/openapi.json").body())
                    .path("components").path("schemas").path("Problem").path("properties").path("code").path("enum");
            List<String> documented = new ArrayList<>();
            codes.forEach(c -> documented.add(c.asText()));
            List<String> expected = new ArrayList<>(Arrays.stream(RejectionCode.values())
                    .map(RejectionCode::wireName).toList());
            Arrays.stream(ClientReply.StartForecast.Unavailable.values()).forEach(u -> expected.add(u.wireName()));
            expected.addAll(ClientReply.TopResult.REFUSALS);
            Arrays.stream(ReservationRefusal.values()).map(ReservationRefusal::wireName)
                    .filter(c -> !expected.contains(c)).forEach(expected::add);
            assertEquals(expected, documented, "a refused submission's codes, then a 503 forecast's, then a refused"
                    + " top's, then a refused reservation request's");
        }
    }
}
