package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.DiagnosticsReport;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdiagFormatTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant SINCE = Instant.parse("2026-01-15T08:00:00Z");

    private static DiagnosticsReport report(long seconds, long cycles, List<DiagnosticsReport.MessageTally> messages) {
        return new DiagnosticsReport(SINCE.plusSeconds(seconds), SINCE, 57,
                new DiagnosticsReport.Jobs(12, 10, 7, 1, 2, 1, 0, 0, 1, 3, 2, SINCE.plusSeconds(seconds - 1)),
                new DiagnosticsReport.Schedule(cycles, 412, 9120, 530, 530 * cycles, 4, 3,
                        cycles == 0 ? null : SINCE.plusSeconds(seconds - 1)), messages);
    }

    private static final List<DiagnosticsReport.MessageTally> MESSAGES = List.of(
            new DiagnosticsReport.MessageTally("submit-job", 12, 3600, 300),
            new DiagnosticsReport.MessageTally("runner-finished", 10, 1000, 100),
            new DiagnosticsReport.MessageTally("cancel-job", 1, 9000, 9000));

    @Test
    void theReportIsInSdiagsLayout() {
        assertEquals(List.of(
                "*******************************************************",
                "sdiag output at Thu Jan 15 08:02:00 2026 (1768464120)",
                "Data since      Thu Jan 15 08:00:00 2026 (1768464000)",
                "*******************************************************",
                "Server thread count:  57",
                "",
                "Jobs submitted: 12",
                "Jobs started:   10",
                "Jobs completed: 7",
                "Jobs canceled:  1",
                "Jobs failed:    2",
                "",
                "Job states ts:  Thu Jan 15 08:01:59 2026 (1768464119)",
                "Jobs pending:   3",
                "Jobs running:   2",
                "",
                "Main schedule statistics (microseconds):",
                "\tLast cycle:   412",
                "\tMax cycle:    9120",
                "\tTotal cycles: 120",
                "\tMean cycle:   530",
                "\tMean depth cycle:  4",
                "\tCycles per minute: 60",
                "",
                "Remote Procedure Call statistics by message type",
                "\tSUBMIT_JOB                               count:12     ave_time:300    total_time:3600",
                "\tRUNNER_FINISHED                          count:10     ave_time:100    total_time:1000",
                "\tCANCEL_JOB                               count:1      ave_time:9000   total_time:9000"),
                SdiagFormat.render(report(120, 120, MESSAGES), SdiagFormat.Order.COUNT, UTC));
    }

    @Test
    void withoutPassesOrMessagesTheMeansAndTypesAreLeftOut() {
        List<String> lines = SdiagFormat.render(report(30, 0, List.of()), SdiagFormat.Order.COUNT, UTC);
        assertTrue(lines.contains("\tTotal cycles: 0"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("Mean") || l.contains("Cycles per minute")), "as sdiag"
                + " prints no mean of no cycles, nor a rate under a minute: " + lines);
        assertEquals("\tNo RPCs recorded yet.", lines.get(lines.size() - 1));
    }

    @Test
    void minusTSortsByTotalTimeAndCapitalTByAverage() {
        List<String> byTotal = SdiagFormat.render(report(120, 1, MESSAGES), SdiagFormat.Order.TOTAL_TIME, UTC);
        List<String> byAverage = SdiagFormat.render(report(120, 1, MESSAGES), SdiagFormat.Order.AVERAGE_TIME, UTC);
        assertEquals(List.of("CANCEL_JOB", "SUBMIT_JOB", "RUNNER_FINISHED"), names(byTotal));
        assertEquals(List.of("CANCEL_JOB", "SUBMIT_JOB", "RUNNER_FINISHED"), names(byAverage));
        List<DiagnosticsReport.MessageTally> tie = List.of(new DiagnosticsReport.MessageTally("b-b", 2, 10, 5),
                new DiagnosticsReport.MessageTally("a-a", 1, 10, 10));
        assertEquals(List.of("A_A", "B_B"), names(SdiagFormat.render(report(120, 1, tie), SdiagFormat.Order.TOTAL_TIME,
                UTC)), "equal totals by name");
        assertEquals(List.of("A_A", "B_B"), names(SdiagFormat.render(report(120, 1, tie),
                SdiagFormat.Order.AVERAGE_TIME, UTC)));
    }

    private static List<String> names(List<String> lines) {
        int at = lines.indexOf("Remote Procedure Call statistics by message type");
        return lines.subList(at + 1, lines.size()).stream().map(l -> l.trim().split(" ")[0]).toList();
    }

    @Test
    void optionsAreReadAsSdiagReadsThem() throws Exception {
        SdiagOptions plain = SdiagOptions.parse(List.of(), Map.of());
        assertEquals(List.of(false, SdiagFormat.Order.COUNT, false), List.of(plain.reset(), plain.order(),
                plain.json()));
        assertNull(plain.help());
        assertTrue(SdiagOptions.parse(List.of("-r"), Map.of()).reset());
        assertEquals(false, SdiagOptions.parse(List.of("-r", "-a"), Map.of()).reset(), "the last of -a and -r wins");
        assertTrue(SdiagOptions.parse(List.of("--reset"), Map.of()).reset());
        assertEquals(SdiagFormat.Order.TOTAL_TIME, SdiagOptions.parse(List.of("-t"), Map.of()).order());
        assertEquals(SdiagFormat.Order.AVERAGE_TIME, SdiagOptions.parse(List.of("--sort-by-time2"), Map.of()).order());
        assertTrue(SdiagOptions.parse(List.of("--json", "-M", "all"), Map.of()).json());
        assertEquals(SdiagOptions.HELP, SdiagOptions.parse(List.of("-h", "-r"), Map.of()).help());
        assertEquals(SdiagOptions.USAGE, SdiagOptions.parse(List.of("--usage"), Map.of()).help());
        assertEquals(CommandOptions.VERSION, SdiagOptions.parse(List.of("-V"), Map.of()).help());
    }

    @Test
    void badOrUnsupportedOptionsAreRefusedByName() {
        assertEquals(List.of("sdiag: invalid option -- 'x'", "Try \"sdiag --help\" for more information"),
                assertThrows(SlurmUsageException.class, () -> SdiagOptions.parse(List.of("-x"), Map.of())).lines());
        assertTrue(assertThrows(SlurmUsageException.class, () -> SdiagOptions.parse(List.of("-i"), Map.of())).lines()
                .get(0).startsWith("sdiag: error: -i/--sort-by-id is not supported by this Cadre version"));
        assertTrue(assertThrows(SlurmUsageException.class, () -> SdiagOptions.parse(List.of("--yaml"), Map.of()))
                .lines().get(0).startsWith("sdiag: error: --yaml is not supported by this Cadre version"));
        assertTrue(assertThrows(SlurmUsageException.class, () -> SdiagOptions.parse(List.of("-M", "other"),
                Map.of())).lines().get(0).startsWith("sdiag: error: 'other' can't be reached now"));
        assertEquals("sdiag: error: unexpected argument 'now'", assertThrows(SlurmUsageException.class,
                () -> SdiagOptions.parse(List.of("now"), Map.of())).lines().get(0));
    }
}
