package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** scancel's and scontrol's changes are sent again under one key while the head leaves them unanswered. */
class PatientControlTest {
    private static final RestClient.ClientException TIMED_OUT = new RestClient.ClientException(504,
            "the scheduler did not answer within 30 s");

    /** Answers each try with the next answer (the last again once they run out); a 504 comes after 30 s. */
    private static final class ScriptedHead implements PatientControl.Change, Patience.Time {
        final Deque<Object> answers = new ArrayDeque<>();
        final List<String> keys = new ArrayList<>();
        Instant now = Instant.parse("2024-05-01T10:00:00Z");

        ScriptedHead(Object... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public Json send(String method, String apiPath, Object body, String key, int connectMillis)
                throws RestClient.ClientException {
            keys.add(key);
            Object a = answers.size() > 1 ? answers.poll() : answers.peek();
            if (a instanceof RestClient.ClientException e) {
                now = now.plusSeconds(30);
                throw e;
            }
            return Json.parse((String) a);
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            now = now.plus(d);
        }
    }

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private PatientControl over(ScriptedHead head) {
        return new PatientControl(head, head, PatientControl.PATIENCE, new PrintStream(err, true,
                StandardCharsets.UTF_8), "scontrol");
    }

    @Test
    void anUnansweredChangeIsSentAgainUnderItsOwnKeyAndTheNextUnderAnother() throws Exception {
        ScriptedHead head = new ScriptedHead(TIMED_OUT, TIMED_OUT, "{\"ok\":true}", "{\"ok\":true}");
        PatientControl control = over(head);
        assertTrue(control.post("/api/jobs/25/update", Map.of("timeLimitChangeSeconds", 300)).path("ok").asBoolean());
        assertEquals(3, head.keys.size());
        assertEquals(1, head.keys.stream().distinct().count(), "one key for one change: " + head.keys);
        control.post("/api/jobs/26/update", Map.of("timeLimitChangeSeconds", 300));
        assertNotEquals(head.keys.get(0), head.keys.get(3), "another change, another key");
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("scontrol: the head is slow to answer; still"
                + " trying (request id " + head.keys.get(0) + ")"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void givingUpSaysTheChangeMayStillBeCarriedOutAndTheCommandWaitsOnlyOnce() {
        ScriptedHead head = new ScriptedHead(TIMED_OUT);
        PatientControl control = over(head);
        Instant start = head.now;
        var e = assertThrows(RestClient.ClientException.class, () -> control.post("/api/jobs/25/requeue", Map.of()));
        assertEquals(RestClient.Answer.NONE, e.answer);
        Duration spent = Duration.between(start, head.now);
        assertTrue(spent.compareTo(PatientControl.PATIENCE) >= 0
                && spent.compareTo(PatientControl.PATIENCE.plusSeconds(30)) <= 0, "gave up after " + spent);
        assertTrue(e.getMessage().contains("(request id " + head.keys.get(0) + ")"), e.getMessage());
        assertTrue(e.mayStillBeCarriedOut("squeue").contains("may still be carried out later"));

        int tries = head.keys.size();
        assertThrows(RestClient.ClientException.class, () -> control.post("/api/jobs/26/requeue", Map.of()));
        assertEquals(tries + 1, head.keys.size(), "the command's patience is spent: the next change is tried once");
    }

    @Test
    void aRefusalIsNotSentAgain() {
        ScriptedHead head = new ScriptedHead(new RestClient.ClientException(409, "job 25 is RUNNING", "RUNNING"));
        assertEquals(409, assertThrows(RestClient.ClientException.class,
                () -> over(head).post("/api/jobs/25/hold", Map.of())).status);
        assertEquals(1, head.keys.size());
    }
}
