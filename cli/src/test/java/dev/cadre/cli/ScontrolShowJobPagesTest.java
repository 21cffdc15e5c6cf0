package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scontrol show job asks the head for, seen by a stand-in head. */
class ScontrolShowJobPagesTest {
    /**
     * show job reads records whole a page at a time, every job's and an array's others, without their environments,
     * which it never prints and which are most of their bytes (docs/benchmarks.md).
     */
    @Test
    void showJobReadsPagesOfRecordsWithoutTheirEnvironments(@TempDir Path dir) throws Exception {
        String array = "{\"id\":12,\"arrayJobId\":12,\"arrayPending\":\"3-4\",\"state\":\"RUNNING\"}";
        String task = "{\"id\":15,\"arrayJobId\":12,\"arrayTaskId\":2,\"state\":\"RUNNING\"}";
        try (StandInHead head = StandInHead.start(dir, path -> new StandInHead.Answer(200,
                path.equals("/api/jobs/12") ? array : "[" + array + "," + task + "]"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ScontrolCommand scontrol = new ScontrolCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    head.config().toString(), Clock.systemUTC());
            int asked = 0;
            for (List<String> args : List.of(List.of("show", "job"), List.of("show", "job", "12"),
                    List.of("show", "job", "_2"))) {
                assertEquals(0, scontrol.run(args, false, Map.of()), args + ": " + out);
                List<String> details = head.queries.stream().filter(q -> q != null && q.contains("detail=true"))
                        .toList();
                assertEquals(++asked, details.size(), args + ": " + head.asked + " " + head.queries);
                assertTrue(details.stream().allMatch(q -> q.contains("environment=false")), args + ": " + details);
            }
        }
    }
}
