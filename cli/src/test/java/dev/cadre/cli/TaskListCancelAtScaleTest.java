package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cadre.db.Database;
import dev.cadre.protocol.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Review 81 against a whole head in this JVM: scancel of a task list covering most of a 100,000-task pending array
 * ends them in one row, as cancelling the whole array leaves its tasks in the array's row (a row per task took
 * 7.6 s and 430 MB); sacct, squeue and scontrol find the tasks it ended; and a second scancel tells the tasks that
 * ended from those the array never had, as Slurm does.
 */
class TaskListCancelAtScaleTest {
    @RegisterExtension
    static final InJvmHead HEAD = new InJvmHead();

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final SlurmCommands slurm = new SlurmCommands(new PrintStream(new ByteArrayOutputStream(), true),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8), HEAD.clientFile().toString(), Clock.systemUTC());

    private String err() {
        String text = errBytes.toString(StandardCharsets.UTF_8);
        errBytes.reset();
        return text;
    }

    private static long rows(Jdbi db, String where, long array) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE " + where).bind(0, array)
                .mapTo(Long.class).one());
    }

    @Test
    void mostOfAHundredThousandPendingTasksEndInOneRowAndAreFoundAsTheirArraysCancelLeavesThem() throws Exception {
        long array = HEAD.client().submit(HEAD.job("true").user(System.getProperty("user.name")).array("0-99999")
                .hold(JobSpec.HOLD_USER).build()).accepted().get(30, TimeUnit.SECONDS);
        RestSession rest = RestSession.of(HEAD);

        int rc = slurm.scancel(List.of(array + "_[0-99998]"));

        assertEquals(0, rc, err());
        Jdbi db = Database.open(HEAD.base.resolve("data/cadre.db"));
        assertEquals(2, rows(db, "array_job_id = ?", array), "the array's row and one holding the cancelled tasks");
        assertEquals(2, rows(db, "id >= ?", array), "no row made per task");
        assertEquals("99999", rest.ok("GET", "/api/jobs/" + array, null).path("arrayPending").asText());
        JsonNode listed = rest.ok("GET", "/api/jobs?id=" + array, null);
        assertEquals(2, listed.size(), "sacct -j lists the array's parts: " + listed);
        JsonNode ended = listed.get(0).path("id").asLong() == array ? listed.get(1) : listed.get(0);
        assertEquals(array + "_[0-99998]", ended.path("displayId").asText(), "as a cancelled array's row shows");
        assertEquals("CANCELLED", ended.path("state").asText());
        JsonNode task = rest.ok("GET", "/api/jobs/" + array + "_500", null);
        assertEquals("CANCELLED", task.path("state").asText(), "scontrol show job finds a task it ended: " + task);

        rc = slurm.scancel(List.of(array + "_[0-5]", array + "_99999", array + "_[100000-100001]"));

        assertEquals(1, rc);
        assertEquals(List.of(
                "scancel: error: Kill job error on job id " + array + "_[0-5]: Job/step already completing or"
                        + " completed",
                "scancel: error: Kill job error on job id " + array + "_[100000-100001]: Invalid job id specified"),
                List.of(err().split("\n")));
        assertEquals("CANCELLED", rest.ok("GET", "/api/jobs/" + array, null).path("state").asText(),
                "the array's row took its last task and ended with it");
        assertEquals(2, rows(db, "array_job_id = ?", array));
        assertTrue(rest.ok("GET", "/api/jobs?state=PENDING&id=" + array, null).isEmpty(), "squeue shows nothing");
    }
}
