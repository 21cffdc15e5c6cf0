package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * squeue -j, sacct -j, a filtered scancel and scontrol's listing against a real head in this JVM, reading the API in
 * pages smaller than the jobs they find.
 */
class JobIdPagingTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Held jobs, which stay PENDING: squeue lists them. */
    private static List<Long> heldJobs(int count) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(head.client().submit(head.job("true").user(System.getProperty("user.name"))
                    .hold(JobSpec.HOLD_USER).build()).accepted().get(30, TimeUnit.SECONDS));
        }
        return ids;
    }

    private PrintStream stream(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private static String joined(List<Long> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    private void assertListsAll(List<Long> ids, int rc) {
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals(ids.stream().map(String::valueOf).sorted().toList(),
                Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).sorted().toList(),
                "5 jobs read 2 at a time");
    }

    @Test
    void squeueReadsJobsNamedByIdFromEveryPage() throws Exception {
        List<Long> ids = heldJobs(5);
        assertListsAll(ids, new SqueueCommand(stream(out), stream(err), head.clientFile().toString(),
                Clock.systemUTC(), Map.of(), 2).run(List.of("-h", "-o", "%i", "-j", joined(ids))));
    }

    @Test
    void sacctReadsJobsNamedByIdFromEveryPage() throws Exception {
        List<Long> ids = heldJobs(5);
        assertListsAll(ids, new SacctCommand(stream(out), stream(err), head.clientFile().toString(),
                Clock.systemUTC(), 2).run(List.of("-X", "-n", "-P", "-o", "JobID", "-j", joined(ids))));
    }

    @Test
    void scancelWithAFilterCancelsMatchingJobsFromEveryPage() throws Exception {
        List<Long> ids = heldJobs(5);
        int rc = new SlurmCommands(stream(out), stream(err), head.clientFile().toString(), Clock.systemUTC(), 2)
                .scancel(List.of("-t", "PENDING", "-u", System.getProperty("user.name"), joined(ids)));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        for (long id : ids) {
            head.awaitState(id, JobState.CANCELLED);
        }
    }

    @Test
    void scontrolShowJobListsJobsFromEveryPage() throws Exception {
        List<Long> ids = heldJobs(5);
        int rc = new ScontrolCommand(stream(out), stream(err), head.clientFile().toString(), Clock.systemUTC(), 2)
                .run(List.of("-o", "show", "job"), false);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        List<String> listed = Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n"))
                .map(line -> line.replaceFirst("^JobId=(\\d+) .*", "$1")).toList();
        for (long id : ids) {
            assertTrue(listed.contains(String.valueOf(id)), "job " + id + " in " + listed);
        }
    }
}
