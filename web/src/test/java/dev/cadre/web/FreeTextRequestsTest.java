package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.Destinations;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.MessageCodec;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A drain's reason and an update's job name over REST (protocol.md 4.6): a terminal control or a bidi character is
 * a 400 naming the field and the character's place, and nothing is sent (a submission's spec is the scheduler's to
 * judge, with the same validator).
 */
class FreeTextRequestsTest {
    @Test
    void controlsAndBidiCharactersInFreeTextAre400sThatReachNoScheduler() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            Session session = server.connect("test-scheduler").createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = session.createConsumer(session.createQueue(Destinations.SUBMIT));
            JobRecord job = server.admit(RunningWebServer.spec("sim", "alice"));

            refused(server.post("/api/nodes/node1/drain", "{\"reason\": \"\\u001b[31mx\", \"user\": \"root\"}"),
                    "reason", "reason: contains U+001B (escape, a control character) at character 1");
            refused(server.post("/api/nodes/node1/drain", "{\"reason\": \"abcd\\u202eevil\"}"), "reason",
                    "reason: contains U+202E (a bidi override) at character 5");
            refused(server.post("/api/jobs/" + job.id() + "/update", "{\"name\": \"abcd\\u202eevil\"}"), "name",
                    "'name' contains U+202E (a bidi override) at character 5");
            assertNull(requests.receive(300), "nothing reached the scheduler's queue");
        }
    }

    private static void refused(HttpResponse<String> answer, String field, String detail) throws Exception {
        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode problem = MessageCodec.mapper().readTree(answer.body());
        assertEquals(field, problem.path("field").asText(), answer.body());
        assertEquals(detail, problem.path("detail").asText(), answer.body());
    }
}
