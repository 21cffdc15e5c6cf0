package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** sacct -j against a real head in this JVM, reading the API in pages smaller than the jobs it names. */
class SacctCommandTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();

    @Test
    void jobsNamedByIdAreReadFromEveryPage() throws Exception {
        List<Long> ids = SqueueCommandTest.heldJobs(head, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SacctCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.clientFile().toString(), Clock.systemUTC(),
                2).run(List.of("-X", "-n", "-P", "-o", "JobID", "-j",
                        ids.stream().map(String::valueOf).collect(Collectors.joining(","))));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals(ids.stream().map(String::valueOf).sorted().toList(),
                Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n")).sorted().toList(),
                "5 jobs read 2 at a time");
    }
}
