package dev.cadre.web;

import static dev.cadre.web.UsageReportApiTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.FairShareStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /api/shares against real Jetty and SQLite: the users' usage as the scheduler stored it, with their factors. */
class SharesApiTest {
    @Test
    void eachUsersUsageAndFactorAsLastCharged() throws Exception {
        try (RunningWebServer server = new RunningWebServer(WebServer.Limits.DEFAULT)) {
            JsonNode none = json(server.get("/api/shares"));
            assertEquals("root", none.path("account").asText());
            assertTrue(none.path("chargedUntil").isNull(), "not charged yet: " + none);
            assertEquals(0, none.path("users").size());

            server.jobs.saveFairShare(new FairShareStore.Charged(RunningWebServer.T, 100_000, Duration.ofDays(7),
                    Map.of("bob", 1000.0, "alice", 3000.0, "cy", 0.0)));
            JsonNode all = json(server.get("/api/shares"));
            assertEquals(100_000, all.path("weight").asLong());
            assertEquals(604_800, all.path("halfLifeSeconds").asLong());
            assertEquals(RunningWebServer.T.toString(), all.path("chargedUntil").asText());
            assertEquals(4000.0, all.path("rawUsage").asDouble());
            assertEquals(List.of("alice", "bob", "cy"), all.path("users").findValuesAsText("user"), "by name");
            JsonNode alice = all.path("users").get(0);
            assertEquals(1, alice.path("rawShares").asInt());
            assertEquals(1.0 / 3, alice.path("normShares").asDouble(), 1e-12);
            assertEquals(0.75, alice.path("effectiveUsage").asDouble(), 1e-12);
            assertEquals(Math.pow(2, -0.75 * 3), alice.path("fairShare").asDouble(), 1e-12);
            assertEquals(Math.round(100_000 * Math.pow(2, -0.75 * 3)), alice.path("points").asLong());
            assertEquals(1.0, all.path("users").get(2).path("fairShare").asDouble(), "cy has used nothing");

            JsonNode bob = json(server.get("/api/shares?user=bob"));
            assertEquals(1, bob.path("users").size());
            assertEquals(4000.0, bob.path("rawUsage").asDouble(), "everyone's usage still");
            HttpResponse<String> bad = server.get("/api/shares?user=al%20ice");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("'al ice'"), bad.body());
        }
    }
}
