package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scontrol hold, uhold, release, requeue and requeuehold of a task list against a whole head in this JVM: each
 * command is one request to the scheduler (one answered request stored), the tasks it applies to change, the others
 * are reported a range per line in scontrol's words, and bad input (a malformed list, tasks out of range, a job
 * that is no array, an unknown job) changes nothing.
 */
class ScontrolTaskListsOnHeadTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static RestSession rest;
    private static Jdbi db;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final List<Long> submitted = new ArrayList<>();

    @BeforeAll
    static void open() throws Exception {
        rest = RestSession.of(HEAD);
        db = Database.open(HEAD.base.resolve("data/cadre.db"));
    }

    /** Cancels what the test submitted and waits for it to end: a node closed with tasks running leaves them. */
    @AfterEach
    void cancelWhatWasSubmitted() throws Exception {
        if (!submitted.isEmpty()) {
            slurm().scancel(submitted.stream().map(String::valueOf).toList());
        }
        CadreProcess.await("every job to end", RestSession.WAIT, () -> {
            try {
                return rest.ok("GET", "/api/jobs?state=PENDING,RUNNING,COMPLETING,REQUEUED", null).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    private SlurmCommands slurm() {
        return new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(errBytes, true,
                StandardCharsets.UTF_8), HEAD.clientFile().toString(), Clock.systemUTC());
    }

    /** The exit code and what scontrol wrote on stderr, line by line. */
    private List<Object> scontrol(String... args) {
        errBytes.reset();
        int rc = new ScontrolCommand(new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(errBytes,
                true, StandardCharsets.UTF_8), HEAD.clientFile().toString(), Clock.systemUTC())
                .run(List.of(args), false, Map.of());
        String err = errBytes.toString(StandardCharsets.UTF_8);
        return List.of(rc, err.isEmpty() ? List.of() : List.of(err.split("\n")));
    }

    private long submit(String command, String array, boolean later) throws Exception {
        long id = HEAD.submit(command, array, later);
        submitted.add(id);
        return id;
    }

    private static long requests() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM answered_requests").mapTo(Long.class).one());
    }

    private static JsonNode job(String ref) throws Exception {
        return rest.ok("GET", "/api/jobs/" + ref, null);
    }

    private static String hold(String ref) throws Exception {
        return job(ref).path("hold").asText(null);
    }

    private static void await(String ref, Predicate<JsonNode> condition, String what) throws Exception {
        CadreProcess.await(ref + " " + what, RestSession.WAIT, () -> {
            try {
                return condition.test(job(ref));
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void holdUholdAndReleaseOfATaskListAreOneRequestEachAndReportWhatTheyDidNotChange() throws Exception {
        long a = submit("true", "0-9", true);
        long before = requests();

        assertEquals(List.of(1, List.of("Invalid job id specified for job " + a + "_12")),
                scontrol("hold", a + "_[1-3,12]"));
        assertEquals(before + 1, requests(), "one request for the list");
        assertEquals("0,4-9", job(String.valueOf(a)).path("arrayPending").asText());
        for (int t = 1; t <= 3; t++) {
            assertEquals("user", hold(a + "_" + t), "scontrol hold by a user is a user's hold");
        }

        assertEquals(List.of(0, List.of()), scontrol("uhold", a + "_4," + a + "_6"));
        assertEquals(before + 2, requests(), "12_4,12_6 is one list too");
        assertEquals("user", hold(a + "_4"));
        assertEquals("user", hold(a + "_6"));
        assertEquals(null, hold(a + "_5"));

        assertEquals(List.of(0, List.of()), scontrol("release", a + "_[1-2]," + a + "_4"));
        assertEquals(before + 3, requests());
        assertEquals(null, hold(a + "_1"));
        assertEquals(null, hold(a + "_4"));
        assertEquals("user", hold(a + "_3"));

        assertEquals(List.of(1, List.of("job " + a + "_[1-2] is not held for job " + a + "_[1-2]")),
                scontrol("release", a + "_[1-3]"));
        assertEquals(before + 4, requests());
        assertEquals(null, hold(a + "_3"), "the held task of the list was released");
    }

    @Test
    void requeueAndRequeueholdOfATaskListStopTheRunningTasksAndNameThePending() throws Exception {
        long b = submit("sleep 300", "0-3%2", false);
        long c = submit("sleep 300", "0-1", false);
        for (String t : List.of(b + "_0", b + "_1", c + "_0", c + "_1")) {
            await(t, j -> j.path("state").asText().equals("RUNNING"), "to run");
        }
        long before = requests();

        assertEquals(List.of(0, List.of()), scontrol("requeuehold", c + "_[0-1]"));
        assertEquals(before + 1, requests());
        for (String t : List.of(c + "_0", c + "_1")) {
            await(t, j -> j.path("attempts").path(0).path("state").asText().equals("REQUEUED")
                    && j.path("state").asText().equals("PENDING"), "to be queued again");
            assertEquals("user", hold(t), "requeuehold holds it by its user");
        }

        assertEquals(List.of(1, List.of("Job is pending execution for job " + b + "_2")),
                scontrol("requeue", b + "_[0-2]"));
        assertEquals(before + 2, requests());
        for (String t : List.of(b + "_0", b + "_1")) {
            await(t, j -> j.path("attempts").path(0).path("state").asText().equals("REQUEUED"),
                    "to have its attempt end REQUEUED");
            assertEquals(null, hold(t), "requeue does not hold");
        }
    }

    @Test
    void badInputIsReportedAndChangesNothing() throws Exception {
        long a = submit("true", "0-9", true);
        long single = submit("true", null, true);
        long before = requests();

        assertEquals(List.of(1, List.of("Invalid job id specified for job " + a + "_[5-1]: the task list '5-1' ends"
                + " before it starts")), scontrol("hold", a + "_[5-1]"));
        RestSession.refused(400, "tasks", rest.http("POST", "/api/jobs/" + a + "/hold", "{\"tasks\":\"5-1\"}"));
        RestSession.refused(400, "tasks", rest.http("POST", "/api/jobs/" + a + "_3/requeue",
                "{\"tasks\":\"1-2\"}"));
        assertEquals(before, requests(), "nothing reached the scheduler");

        assertEquals(List.of(1, List.of("Invalid job id specified for job " + a + "_[20-21]")),
                scontrol("hold", a + "_[20-21]"));
        assertEquals(List.of(1, List.of("Invalid job id specified for job " + single + "_[1-2]")),
                scontrol("release", single + "_[1-2]"));
        JsonNode notArray = rest.ok("POST", "/api/jobs/" + single + "/requeue", "{\"tasks\":\"1-2\"}");
        assertEquals(false, notArray.path("ok").asBoolean());
        assertEquals("job " + single + " is not an array job, so it has no task 1-2", notArray.path("reason")
                .asText());
        assertEquals("1-2", notArray.path("missing").asText());
        assertEquals(List.of(1, List.of("Invalid job id specified for job 99999_[1-2]")),
                scontrol("uhold", "99999_[1-2]"));

        assertEquals("0-9", job(String.valueOf(a)).path("arrayPending").asText(), "no task split off");
        assertEquals(null, hold(String.valueOf(a)));
        assertEquals(null, hold(String.valueOf(single)));
        assertTrue(job(String.valueOf(single)).path("state").asText().equals("PENDING"));
    }
}
