package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.Database;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The REST API, which submits through the head's own account, stops submissions on a nearly full disk where the
 * broker stops the submitter account's: the Slurm commands submit here, and must not go on to Artemis' own bound,
 * where every node turns DOWN. The refusal is a 507 that names the disk and its fullness, and nothing is sent.
 */
class FullDiskSubmissionTest {
    @Test
    void aSubmissionOrANewServiceIsRefusedWith507NamingTheDiskAndNothingIsSent() throws Exception {
        // Any disk is fuller than 1%: as if it were past the bound.
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT, Database::open, 1)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            var submissions = session.createConsumer(session.createQueue(Destinations.SUBMIT));

            HttpResponse<String> job = server.post("/api/jobs", "{\"spec\": {\"name\": \"j\", \"user\": \"alice\","
                    + " \"workDir\": \"/tmp\", \"script\": \"#!/bin/sh\\ntrue\\n\"}}");
            assertEquals(507, job.statusCode(), job.body());
            String detail = MessageCodec.mapper().readTree(job.body()).path("detail").asText();
            assertTrue(detail.startsWith("the head's disk ("), detail);
            assertTrue(detail.contains("which holds " + server.dir + ") is "), detail);
            assertTrue(detail.matches(".*is \\d+% full as the broker counts it, the space reserved for root as used"
                    + " \\(df's Use%: \\d+%\\); submissions are refused above 1% until space is freed"), detail);

            HttpResponse<String> service = server.post("/api/services", "{\"name\": \"web\", \"replicas\": 1,"
                    + " \"template\": {\"name\": \"web\", \"user\": \"alice\", \"workDir\": \"/tmp\", \"script\":"
                    + " \"#!/bin/sh\\nsleep 600\\n\"}}");
            assertEquals(507, service.statusCode(), service.body());
            JsonNode problem = MessageCodec.mapper().readTree(service.body());
            assertEquals(detail, problem.path("detail").asText());

            assertNull(submissions.receive(500), "nothing reached the scheduler's queue");
        }
    }
}
