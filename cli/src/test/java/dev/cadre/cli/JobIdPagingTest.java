package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpec;
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

/** squeue -j and sacct -j against a real head in this JVM, reading the API in pages smaller than the jobs named. */
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
}
