package dev.cadre.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobRecord;
import dev.cadre.protocol.MessageCodec;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A job's views carry the advance reservation it runs in, the list's too: squeue's %v and -R read the list, where
 * the spec is not given.
 */
class ReservationJobViewTest {

    @Test
    void theListAndTheJobsOwnViewNameItsReservationAndOthersNone() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            JobRecord inside = server.admit(RunningWebServer.spec("a", "alice").toBuilder().reservation("maint")
                    .build());
            JobRecord outside = server.admit(RunningWebServer.spec("b", "alice"));

            HttpResponse<String> one = server.get("/api/jobs/" + inside.id());
            assertEquals(200, one.statusCode(), one.body());
            assertEquals("maint", json(one).path("reservation").asText(), one.body());
            assertFalse(json(server.get("/api/jobs/" + outside.id())).has("reservation"));

            HttpResponse<String> list = server.get("/api/jobs?state=PD");
            assertEquals(200, list.statusCode(), list.body());
            for (JsonNode j : json(list)) {
                assertEquals(j.path("id").asLong() == inside.id() ? "maint" : null,
                        j.has("reservation") ? j.path("reservation").asText() : null, list.body());
            }
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return MessageCodec.mapper().readTree(r.body());
    }
}
