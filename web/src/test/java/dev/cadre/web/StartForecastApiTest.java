package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.PartitionStore;
import dev.cadre.db.ReservationStore;
import dev.cadre.db.ServiceStore;
import dev.cadre.protocol.ClientReply;
import dev.cadre.protocol.ClientRequest;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobChange;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.JobState;
import dev.cadre.protocol.MessageCodec;
import dev.cadre.protocol.RejectionCode;
import dev.cadre.scheduler.SchedulerService;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GET /api/jobs/starts asks the scheduler for its start forecast, POST for a job's were it submitted (the tests play
 * the scheduler over JMS, but for the last, which runs the real one).
 */
class StartForecastApiTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A submission's body, for POST. */
    private static final String TRIAL = "{\"spec\": {\"name\": \"t\", \"user\": \"alice\", \"script\":"
            + " \"#!/bin/sh\\ntrue\\n\", \"tasks\": 2}}";

    @Test
    void theSchedulersForecastIsAnsweredAsItIs() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = session.createConsumer(session.createQueue(Destinations.SUBMIT));

            HttpResponse<String> r = answered(server, session, requests, new ClientReply.StartForecast(List.of(
                    new ClientReply.ExpectedStart(41, Instant.parse("2026-11-21T11:00:00Z"), List.of("n1", "n2"), 16),
                    new ClientReply.ExpectedStart(44, Instant.parse("2026-11-21T18:00:00Z"), List.of())), null));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode starts = MessageCodec.mapper().readTree(r.body()).path("starts");
            assertEquals(2, starts.size(), r.body());
            assertEquals(41, starts.get(0).path("jobId").asLong());
            assertEquals("2026-11-21T11:00:00Z", starts.get(0).path("start").asText());
            assertEquals("n2", starts.get(0).path("nodes").get(1).asText());
            assertEquals(16, starts.get(0).path("cpus").asInt(), "the CPUs it would be given");
            assertEquals(0, starts.get(1).path("nodes").size());

            String failure = "forecast-starts failed inside the scheduler (incident 0123456789ab: the head's log has"
                    + " what went wrong under this id); nothing was changed";
            HttpResponse<String> failed = answered(server, session, requests, new ClientReply.StartForecast(List.of(),
                    failure));
            assertEquals(500, failed.statusCode(), failed.body());
            assertEquals(failure, MessageCodec.mapper().readTree(failed.body()).path("detail").asText());
            assertEquals(Optional.empty(), failed.headers().firstValue("Retry-After"), "asking again would fail"
                    + " alike");
        }
    }

    @Test
    void aForecastRefusedForNowIs503WithRetryAfterAndItsCode() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            String busyReason = "16 start forecasts are being planned or waiting to be, the most the scheduler keeps"
                    + " waiting; nothing was planned for this one: ask again shortly";

            HttpResponse<String> busy = answered(server, session, requests, ClientReply.StartForecast.unavailable(
                    ClientReply.StartForecast.Unavailable.BUSY, busyReason));
            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("2", busy.headers().firstValue("Retry-After").orElse(null));
            JsonNode problem = MessageCodec.mapper().readTree(busy.body());
            assertEquals(List.of("busy", busyReason), List.of(problem.path("code").asText(),
                    problem.path("detail").asText()), busy.body());

            HttpResponse<String> stopping = answered(server, session, requests, TRIAL,
                    ClientReply.StartForecast.unavailable(ClientReply.StartForecast.Unavailable.STOPPING,
                            "the scheduler is stopping; nothing was planned"));
            assertEquals(503, stopping.statusCode(), stopping.body());
            assertEquals("10", stopping.headers().firstValue("Retry-After").orElse(null));
            problem = MessageCodec.mapper().readTree(stopping.body());
            assertEquals(List.of("stopping", "the scheduler is stopping; nothing was planned"), List.of(
                    problem.path("code").asText(), problem.path("detail").asText()), stopping.body());
        }
    }

    @Test
    void aJobAskedAboutIsSentWithItsSpecAndItsStartOrRefusalAnswered() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = session.createConsumer(session.createQueue(Destinations.SUBMIT));

            HttpResponse<String> r = answered(server, session, requests, TRIAL, new ClientReply.StartForecast(List.of(
                    new ClientReply.ExpectedStart(7, Instant.parse("2026-11-21T11:00:00Z"), List.of("n1"))), null));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode answer = MessageCodec.mapper().readTree(r.body());
            assertEquals(7, answer.path("starts").get(0).path("jobId").asLong(), r.body());
            assertEquals("n1", answer.path("starts").get(0).path("nodes").get(0).asText(), r.body());

            HttpResponse<String> none = answered(server, session, requests, TRIAL, new ClientReply.StartForecast(
                    List.of(), null, "it would wait for its dependency (afterok:3)"));
            assertEquals(200, none.statusCode(), none.body());
            assertEquals("it would wait for its dependency (afterok:3)", MessageCodec.mapper().readTree(none.body())
                    .path("notPlanned").asText());

            HttpResponse<String> refused = answered(server, session, requests, TRIAL, new ClientReply.JobRejected(null,
                    RejectionCode.UNSATISFIABLE, "spec.tasks: asks 2 tasks; no node has 2 cpus", "spec.tasks"));
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode problem = MessageCodec.mapper().readTree(refused.body());
            assertEquals(List.of("unsatisfiable", "spec.tasks"), List.of(problem.path("code").asText(),
                    problem.path("field").asText()), refused.body());

            HttpResponse<String> malformed = server.post("/api/jobs/starts", "{\"spec\": ");
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertEquals("malformed", MessageCodec.mapper().readTree(malformed.body()).path("code").asText());
            assertNull(requests.receiveNoWait(), "a malformed body reaches no scheduler");
        }
    }

    @Test
    void aForecastTheRealSchedulerFailsOnIs500NamingAnIncidentThatItsLogHasBesideTheException() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            // Ended before the scheduler started, so that only the database knows it; then made unreadable.
            JobRecord job = server.admit(RunningWebServer.spec("ended", "alice"));
            server.jobs.save(List.of(new JobChange(job.ended(JobState.CANCELLED, "None", null, null,
                    RunningWebServer.T), JobState.PENDING, RunningWebServer.T, null)));
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream err = System.err;
            HttpResponse<String> failed;
            try (SchedulerService scheduler = new SchedulerService(server.connect("scheduler"), server.jobs,
                    server.nodes, new ServiceStore(server.jdbi), new ReservationStore(server.jdbi),
                    new PartitionStore(server.jdbi), Clock.systemUTC(),
                    new SchedulerService.Settings(
                            Duration.ofSeconds(30), Duration.ofMillis(200), 500, "secret", e -> { })).start()) {
                server.jdbi.useHandle(h -> h.execute("UPDATE jobs SET state = 'UNREADABLE' WHERE id = ?", job.id()));
                // slf4j-simple writes to whatever System.err is when it logs, as the head's log does.
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                try {
                    failed = server.post("/api/jobs/starts", "{\"spec\": {\"name\": \"t\", \"user\": \"alice\","
                            + " \"script\": \"#!/bin/sh\\ntrue\\n\", \"workDir\": \"/tmp\", \"dependency\": \"afterok:"
                            + job.id() + "\"}}");
                } finally {
                    System.setErr(err);
                }
            }
            assertEquals(500, failed.statusCode(), failed.body());
            Matcher id = Pattern.compile("^forecast-starts failed inside the scheduler \\(incident ([0-9a-f]{12}): the"
                    + " head's log has what went wrong under this id\\); nothing was changed$").matcher(
                            MessageCodec.mapper().readTree(failed.body()).path("detail").asText());
            assertTrue(id.matches(), "the request and an incident id, not the exception: " + failed.body());
            assertFalse(failed.body().contains("UNREADABLE") || failed.body().contains("JobState"), failed.body());
            String logged = log.toString(StandardCharsets.UTF_8);
            int line = logged.indexOf("incident " + id.group(1) + ": forecast-starts failed inside the scheduler");
            assertTrue(line >= 0, "the id is logged with the request: " + logged);
            String trace = logged.substring(line);
            assertTrue(trace.contains("UNREADABLE") && trace.contains("\tat dev.cadre."),
                    "the exception and its stack trace follow the id's line: " + logged);
        }
    }

    private static HttpResponse<String> answered(RunningWebServer server, Session session, MessageConsumer requests,
            ClientReply reply) throws Exception {
        return answered(server, session, requests, null, reply);
    }

    /**
     * Asks (GET, or POST the body given), checks that a forecast-starts reached the scheduler's queue, with the
     * body's spec, and answers it with the reply given.
     */
    private static HttpResponse<String> answered(RunningWebServer server, Session session, MessageConsumer requests,
            String body, ClientReply reply) throws Exception {
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return body == null ? server.get("/api/jobs/starts") : server.post("/api/jobs/starts", body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TextMessage request = (TextMessage) requests.receive(WAIT.toMillis());
        assertNotNull(request, "no request reached the scheduler's queue");
        var asked = assertInstanceOf(ClientRequest.ForecastStarts.class, MessageCodec.decode(request.getText()));
        if (body == null) {
            assertNull(asked.spec());
        } else {
            assertEquals(List.of("t", 2), List.of(asked.spec().name(), asked.spec().tasks()), request.getText());
        }
        TextMessage m = session.createTextMessage(MessageCodec.encode(reply));
        m.setJMSCorrelationID(request.getJMSCorrelationID());
        session.createProducer(request.getJMSReplyTo()).send(m);
        return answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
