package dev.cadre.cli;

import static dev.cadre.cli.RestSession.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 74 against a whole head in this JVM: a drain and a resume are node events on /api/events, with the drain;
 * a drain's user is a user name; and scancel of a bracketed task list is one request per array, its missing
 * tasks reported a range per line.
 */
class DrainEventsAndTaskListCancelTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static RestSession rest;
    private static String host;

    @BeforeAll
    static void openSession() throws Exception {
        rest = RestSession.of(HEAD);
        CadreProcess.await("the local node to join", WAIT, () -> {
            try {
                return rest.ok("GET", "/api/nodes", null).size() > 0;
            } catch (Exception e) {
                return false;
            }
        });
        host = rest.ok("GET", "/api/nodes", null).get(0).path("hostname").asText();
    }

    private static JsonNode nodeEvent(SseClient sse, String about) throws Exception {
        SseClient.Event e = sse.await(WAIT, x -> x.event().equals("node") && x.data().contains(about));
        return MessageCodec.mapper().readTree(e.data());
    }

    @Test
    void drainAndResumeArePublishedAsNodeEventsWithTheDrain() throws Exception {
        try (SseClient sse = rest.sse("/api/events", null)) {
            rest.ok("POST", "/api/nodes/" + host + "/drain", "{\"reason\":\"evtest\",\"user\":\"ops\"}");
            JsonNode drained = nodeEvent(sse, "evtest");
            assertEquals("node-state-changed", drained.path("type").asText());
            assertEquals(host, drained.path("hostname").asText());
            assertEquals("ops", drained.path("drain").path("user").asText());
            assertTrue(drained.path("drain").hasNonNull("since"));

            rest.ok("POST", "/api/nodes/" + host + "/resume", "{\"user\":\"ops\"}");
            JsonNode resumed = nodeEvent(sse, "\"hostname\":\"" + host + "\"");
            assertTrue(resumed.path("drain").isNull(), resumed.toString());
        }
    }

    @Test
    void aDrainOrDeleteUserThatIsNotAUserNameIsRefusedNamingTheField() throws Exception {
        for (String user : new String[] {"evil\\nNodeName=fake State=IDLE", "a\\u0000b", "x".repeat(200_000)}) {
            RestSession.refused(400, "user", rest.http("POST", "/api/nodes/" + host + "/drain",
                    "{\"reason\":\"ok reason\",\"user\":\"" + user + "\"}"));
            RestSession.refused(400, "user", rest.http("POST", "/api/nodes/" + host + "/resume",
                    "{\"user\":\"" + user + "\"}"));
        }
        RestSession.refused(400, "user", rest.http("DELETE", "/api/nodes/" + host + "?user=a%0Ab", null));
        assertTrue(rest.ok("GET", "/api/nodes", null).get(0).path("drain").isNull(), "nothing was drained");
    }

    @Test
    void scancelOfABracketedTaskListIsOneRequestAndReportsTheMissingAsRanges() throws Exception {
        long array = HEAD.client().submit(HEAD.job("true").user(System.getProperty("user.name")).array("0-9999")
                .hold(JobSpec.HOLD_USER).build()).accepted().get(30, TimeUnit.SECONDS);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SlurmCommands slurm = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8), HEAD.clientFile().toString(), Clock.systemUTC());

        long start = System.nanoTime();
        int rc = slurm.scancel(List.of(array + "_[0-2999]"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("scancel " + array + "_[0-2999] took " + millis + " ms");
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals("3000-9999", rest.ok("GET", "/api/jobs/" + array, null).path("arrayPending").asText(),
                "the array's record keeps the tasks not named");

        rc = slurm.scancel(List.of(array + "_[9995-10005]", array + "_[20000-20001]"));
        assertEquals(1, rc);
        assertEquals(List.of("scancel: error: Kill job error on job id " + array + "_[10000-10005]: Invalid job id"
                + " specified", "scancel: error: Kill job error on job id " + array + "_[20000-20001]: Invalid job"
                + " id specified"), List.of(err.toString(StandardCharsets.UTF_8).split("\n")));
    }

    @Test
    void aTaskListTheApiCannotReadIsRefusedNamingTheField() throws Exception {
        long array = HEAD.client().submit(HEAD.job("true").user(System.getProperty("user.name")).array("0-9")
                .hold(JobSpec.HOLD_USER).build()).accepted().get(30, TimeUnit.SECONDS);
        RestSession.refused(400, "tasks", rest.http("POST", "/api/jobs/" + array + "/cancel", "{\"tasks\":\"5-1\"}"));
        RestSession.refused(400, "tasks", rest.http("POST", "/api/jobs/" + array + "_3/cancel",
                "{\"tasks\":\"1-2\"}"));
        JsonNode r = rest.ok("POST", "/api/jobs/" + array + "/cancel", "{\"tasks\":\"8-12\"}");
        assertEquals("8-9", r.path("cancelled").asText());
        assertEquals("10-12", r.path("missing").asText());
    }
}
