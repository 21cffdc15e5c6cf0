package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.slurm.PrintFields.Parsable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sreport's command line: options, the command, the report's name as Slurm abbreviates it, and conditions. */
class SreportCommandLineTest {
    private static SreportRequest read(String... args) throws SlurmUsageException {
        return SreportCommandLine.parse(List.of(args), Map.of()).report();
    }

    private static List<String> refusal(String... args) {
        return assertThrows(SlurmUsageException.class, () -> SreportCommandLine.parse(List.of(args), Map.of()))
                .lines();
    }

    @Test
    void optionsAndTheReportNamesSlurmTakes() throws Exception {
        SreportRequest r = read("-P", "-n", "-t", "hourper", "cluster", "AccountUtilizationByUser", "Start=2026-11-01",
                "End=now", "Users=alice,bob", "alice", "Tree");
        assertEquals(SreportRequest.Kind.ACCOUNT_BY_USER, r.kind());
        assertEquals(Parsable.NO_TRAILING_BAR, r.parsable());
        assertFalse(r.header());
        assertEquals(SreportTime.HOURS_PERCENT, r.time());
        assertEquals("2026-11-01", r.start());
        assertEquals("now", r.end());
        assertEquals(List.of("alice", "bob"), r.users());
        assertEquals(Parsable.TRAILING_BAR, read("--parsable", "cl", "a").parsable());
        assertEquals(SreportRequest.Kind.ACCOUNT_BY_USER, read("cl", "anything").kind());
        assertEquals(SreportRequest.Kind.USER_BY_ACCOUNT, read("cluster", "UserUtilizationByAccount").kind());
        assertEquals(SreportRequest.Kind.USER_BY_ACCOUNT, read("cluster", "ua").kind());
        assertEquals(SreportRequest.Kind.TOP_USAGE, read("u", "t").kind());
        SreportRequest job = read("job", "SizesByAccount", "Grouping=10,20", "FlatView", "PrintJobCount");
        assertEquals(List.of(10, 20), job.grouping());
        assertTrue(job.printJobCount());
        assertEquals(List.of(50, 250, 500, 1000), read("j", "s").grouping());
        assertTrue(read("job", "sizes", "grouping=individual").individual());
        assertEquals(5, read("user", "top", "TopCount=5x").topCount());
        assertEquals(SreportTime.MINUTES, read("user", "top").time());
    }

    @Test
    void helpVersionAndTheirKeywords() throws Exception {
        assertEquals(SreportHelp.USAGE, SreportCommandLine.parse(List.of("--usage"), Map.of()).help());
        assertEquals(SreportHelp.USAGE, SreportCommandLine.parse(List.of("help"), Map.of()).help());
        assertEquals(CommandOptions.VERSION, SreportCommandLine.parse(List.of("-V", "user", "x"), Map.of()).help());
    }

    @Test
    void slurmsWordsForWhatItDoesNotKnow() {
        assertEquals(List.of("sreport: invalid option -- 'x'", "Try \"sreport --help\" for more information"),
                refusal("-x", "user", "top"));
        assertEquals(List.of("unknown time format fortnights"), refusal("-t", "fortnights", "user", "top"));
        assertEquals(List.of("invalid keyword: bogus"), refusal("bogus", "top"));
        assertEquals(List.of("too few arguments for keyword:user"), refusal("user"));
        assertEquals(List.of("Not valid report Bottom", "Valid user reports are, \"Top\""), refusal("user", "Bottom"));
        assertEquals("Not valid report Xyz", refusal("cluster", "Xyz").get(0));
        assertEquals("Not valid report Widths", refusal("job", "Widths").get(0));
        assertEquals(List.of(" Unknown condition: Colour=red", "Use keyword set to modify value"),
                refusal("user", "top", "Colour=red"));
        assertEquals(List.of("sreport: error: Invalid value for TopCount (many)"),
                refusal("user", "top", "TopCount=many"));
    }

    @Test
    void whatCadreHasNoDataForIsRefusedByName() {
        assertEquals(List.of(" Unknown condition: Users=alice", "Use keyword set to modify value"),
                refusal("cluster", "Utilization", "Users=alice"));
        assertTrue(refusal("cluster", "WCKeyUtilizationByUser").get(0).contains("no WCKeys"));
        assertTrue(refusal("job", "SizesByWcKey").get(0).contains("no WCKeys"));
        assertTrue(refusal("-T", "cpu,mem", "user", "top").get(0).contains("'mem' cannot be reported"));
        assertTrue(refusal("job", "sizes", "Partitions=batch").get(0).contains("does not select by Partitions=batch"));
        assertTrue(refusal("job", "sizes", "Grouping=50,x").get(0).contains("not 'x'"));
        assertTrue(refusal("job", "sizes", "Grouping=50,10").get(0).contains("must go up"));
        assertTrue(refusal("-M", "other", "user", "top").get(0).contains("'other' can't be reached now"));
        assertTrue(refusal().get(0).contains("no interactive mode"));
    }
}
