package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.cli.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scancel tells the REST API who cancels (the API has one token and knows no caller): the account running it, in
 * every cancel it sends, a job's and a task list's, so that sacct can show "CANCELLED by UID".
 */
class ScancelNamesItsUserTest {
    private StandInHead head;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        head = StandInHead.start(dir, path -> path.equals("/api/jobs/40/cancel")
                ? new StandInHead.Answer(200, "{\"jobId\":40,\"ok\":true,\"state\":\"CANCELLED\",\"cancelled\":\"1-3\"}")
                : new StandInHead.Answer(200, "{\"jobId\":12,\"ok\":true,\"state\":\"CANCELLED\"}"));
    }

    @AfterEach
    void stop() {
        head.close();
    }

    @Test
    void everyCancelScancelSendsNamesTheUserRunningIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.config().toString())
                .scancel(List.of("12", "40_[1-3]"));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("/api/jobs/40/cancel", "/api/jobs/12/cancel"), head.asked);
        String me = System.getProperty("user.name");
        assertEquals(me, Json.parse(head.bodies.get(0)).path("user").asText(), head.bodies.get(0));
        assertEquals("1-3", Json.parse(head.bodies.get(0)).path("tasks").asText());
        assertEquals(me, Json.parse(head.bodies.get(1)).path("user").asText(), head.bodies.get(1));
    }

    @Test
    void aNameThatIsNoUserNameIsLeftOutRatherThanHaveTheCancelRefused() {
        assertEquals(Map.of("tasks", "1", "user", "alice"), CancelBody.of(Map.of("tasks", "1"), "alice"));
        assertEquals(Map.of("tasks", "1"), CancelBody.of(Map.of("tasks", "1"), "a b"));
        assertEquals(Map.of(), CancelBody.of(Map.of(), null));
    }
}
