package dev.cadre.cli;

import static dev.cadre.cli.RestSession.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.protocol.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 74, finding 1, against a whole head in this JVM: scontrol update JobId=ARRAY TimeLimit+=N changes each of
 * the array's records by N from its own limit (a task extended alone keeps its lead), and a user's update is
 * refused when it would raise the limit of any record, not judged by one of them.
 */
class ArrayTimeLimitChangeTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();
    private static RestSession rest;
    private static long array;

    /** Tasks 0 and 1 running (throttle 2), task 2 in the array's pending record; every limit 10 minutes. */
    @BeforeAll
    static void startTwoTasks() throws Exception {
        rest = RestSession.of(HEAD);
        array = HEAD.client().submit(HEAD.job("sleep 300").user(System.getProperty("user.name")).array("0-2%2")
                .timeLimitSeconds(600L).build()).accepted().get(30, TimeUnit.SECONDS);
        CadreProcess.await("tasks 0 and 1 to run", WAIT, () -> {
            try {
                return limits().keySet().containsAll(List.of(array + "_0 RUNNING", array + "_1 RUNNING"));
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Cancels the array and waits for its tasks' ends to be confirmed: a node closed with a task still running
     * leaves the attempt's runtime directory and cgroup for a successor to adopt, and this head has none.
     */
    @AfterAll
    static void cancel() throws Exception {
        rest.ok("POST", "/api/jobs/" + array + "/cancel", "{}");
        CadreProcess.await("the array's tasks to end", WAIT, () -> {
            try {
                return rest.ok("GET", "/api/jobs?state=PENDING,RUNNING,COMPLETING&id=" + array, null).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Each unfinished record's limit, by "id state". */
    private static Map<String, Long> limits() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode j : rest.ok("GET", "/api/jobs?state=PENDING,RUNNING&id=" + array, null)) {
            String id = j.hasNonNull("arrayTaskId") ? array + "_" + j.get("arrayTaskId").asInt() : array + "_rest";
            out.put(id + " " + j.path("state").asText(), j.path("timeLimitSeconds").asLong());
        }
        return out;
    }

    /** exit code and stderr of scontrol, as an operator or as a user */
    private static List<Object> scontrol(boolean operator, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HEAD.clientFile().toString(), Clock.systemUTC())
                .run(List.of(args), operator, Map.of());
        return List.of(rc, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, Long> expect(long task0, long task1, long rest) {
        return new TreeMap<>(Map.of(array + "_0 RUNNING", task0, array + "_1 RUNNING", task1, array + "_rest PENDING",
                rest));
    }

    @Test
    void eachRecordGetsItsOwnLimitChangedAndAUserMayRaiseNone() throws Exception {
        assertEquals(List.of(0, ""), scontrol(true, "update", "JobId=" + array + "_0", "TimeLimit=20"));
        assertEquals(expect(1200, 600, 600), limits());

        assertEquals(List.of(0, ""), scontrol(true, "update", "JobId=" + array, "TimeLimit+=5"));
        assertEquals(expect(1500, 900, 900), limits(), "task 0 keeps its lead: not shortened to the others' limit");

        // A user's += raises every record: refused, nothing changed.
        List<Object> raise = scontrol(false, "update", "JobId=" + array, "TimeLimit+=1");
        assertEquals(1, raise.get(0));
        assertTrue(raise.get(1).toString().contains("Access/permission denied"), raise.toString());
        assertEquals(expect(1500, 900, 900), limits());

        // Task 1 lowered below the pending record's limit: a user's TimeLimit=10 would raise task 1 alone.
        assertEquals(List.of(0, ""), scontrol(true, "update", "JobId=" + array + "_1", "TimeLimit=5"));
        List<Object> set = scontrol(false, "update", "JobId=" + array, "TimeLimit=10");
        assertEquals(1, set.get(0));
        assertTrue(set.get(1).toString().contains("(300 s to 600 s)"), set.toString());
        assertEquals(expect(1500, 300, 900), limits());

        // Lowering is a user's right, each record from its own limit.
        assertEquals(List.of(0, ""), scontrol(false, "update", "JobId=" + array, "TimeLimit-=2"));
        assertEquals(expect(1380, 180, 780), limits());
    }
}
