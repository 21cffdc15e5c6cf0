package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** squeue against a real head in this JVM: -r with tasks named by -j, every task of a big array, and priorities. */
class SqueueArrayAndPriorityTest {
    @RegisterExtension
    static final InJvmHead head = new InJvmHead();
    private static final String ME = System.getProperty("user.name");

    private static long submit(JobSpec.Builder spec) throws Exception {
        return head.client().submit(spec.user(ME).build()).accepted().get(30, TimeUnit.SECONDS);
    }

    private record Run(int rc, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    private static Run squeue(Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new SqueueCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), head.clientFile().toString(), clock, Map.of())
                .run(List.of(args));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dashRWithATaskNamedPrintsThatTaskAlone() throws Exception {
        long a = submit(head.job("true").array("0-9").hold(JobSpec.HOLD_USER));
        Clock now = Clock.systemUTC();
        assertEquals(new Run(0, a + "_3\n", ""), squeue(now, "-r", "-h", "-o", "%i", "-j", a + "_3"));
        assertEquals(new Run(0, a + "_2\n" + a + "_7\n" + a + "_8\n", ""),
                squeue(now, "-r", "-h", "-o", "%i", "-j", a + "_[7-8,2]"));
        assertEquals(10, squeue(now, "-r", "-h", "-o", "%i", "-j", Long.toString(a)).lines().size());
    }

    @Test
    void dashRPrintsEveryTaskOfAnArrayOverAHundredThousand() throws Exception {
        long a = submit(head.job("true").array("0-149999").hold(JobSpec.HOLD_USER));
        Run all = squeue(Clock.systemUTC(), "-r", "-h", "-o", "%i", "-j", Long.toString(a));
        assertEquals("", all.err());
        List<String> lines = all.lines();
        assertEquals(150_000, lines.size());
        assertEquals(a + "_149999", lines.get(149_999));
        Run one = squeue(Clock.systemUTC(), "-r", "-h", "-o", "%i", "-j", a + "_149998");
        assertEquals(List.of(a + "_149998"), one.lines().size() == 1 ? one.lines() : List.of(one.lines().size()
                + " lines"));
    }

    @Test
    void priorityIsTheSchedulersAndOrdersTheQueue() throws Exception {
        // Not started before next year, so they wait (reason BeginTime) with the priority the scheduler gives them;
        // read at the time before any was submitted, none has aged.
        Instant before = Instant.now();
        Instant later = before.plusSeconds(366L * 24 * 3600);
        List<Long> ids = new ArrayList<>();
        for (Integer nice : new Integer[] {0, 100, -5}) {
            ids.add(submit(head.job("true").beginTime(later).nice(nice)));
        }
        ids.add(submit(head.job("true").beginTime(later).priority(5L)));
        ids.add(submit(head.job("true").hold(JobSpec.HOLD_USER)));
        String named = String.join(",", ids.stream().map(String::valueOf).toList());
        Clock atSubmission = Clock.fixed(before, ZoneOffset.UTC);
        Run shown = squeue(atSubmission, "-h", "-o", "%i %Q %p", "-j", named);
        assertEquals(List.of(ids.get(2) + " 1000005 0.00023283180786", ids.get(0) + " 1000000 0.00023283064371",
                ids.get(1) + " 999900 0.00023280736064", ids.get(3) + " 5 0.00000000116415",
                ids.get(4) + " 0 0.00000000000000"), shown.lines(), "the default order, highest priority first");
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(1), ids.get(0), ids.get(2)).toString(),
                squeue(atSubmission, "-h", "-o", "%i", "-S", "p", "-j", named).lines().toString());
    }
}
