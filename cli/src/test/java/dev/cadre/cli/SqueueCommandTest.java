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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** squeue -j against a real head in this JVM, reading the API in pages smaller than the jobs it names. */
class SqueueCommandTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();

    /** Held jobs, which stay PENDING: squeue lists them. */
    static List<Long> heldJobs(InJvmHead head, int count) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(head.client().submit(head.job("true").user(System.getProperty("user.name"))
                    .hold(JobSpec.HOLD_USER).build()).accepted().get(30, TimeUnit.SECONDS));
        }
        return ids;
    }

    @Test
    void jobsNamedByIdAreReadFromEveryPage() throws Exception {
        List<Long> ids = heldJobs(head, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SqueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.clientFile().toString(), Clock.systemUTC(),
                Map.of(), 2).run(List.of("-h", "-o", "%i", "-j",
                        ids.stream().map(String::valueOf).collect(Collectors.joining(","))));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals(ids.stream().map(String::valueOf).sorted().toList(),
                Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).sorted().toList(),
                "5 jobs read 2 at a time");
    }
}
