package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SacctFormatTest {

    private static final SacctRow DONE = new SacctRow("42", "hello", "batch", "acct", 4, "COMPLETED", 0, 0);
    private static final SacctRow CANCELLED =
            new SacctRow("43", "averylongjobname", "batch", null, 16, "CANCELLED by 1000", 0, 15);
    private static final SacctRow STEP = new SacctRow("42.batch", "batch", null, "acct", 4, "FAILED", 1, 0);

    @Test
    void defaultHeaderAndDashesMatchSlurm() {
        assertEquals(List.of(
                "JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- "),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(), true, false));
    }

    @Test
    void defaultRows() {
        assertEquals(List.of(
                "JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- ",
                "42                hello      batch       acct          4  COMPLETED      0:0 ",
                "43           averylong+      batch                    16 CANCELLED+     0:15 ",
                "42.batch          batch                  acct          4     FAILED      1:0 "),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(DONE, CANCELLED, STEP), true, false));
    }

    @Test
    void parsableEndsEveryFieldWithABar() {
        assertEquals(List.of(
                "JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode|",
                "42|hello|batch|acct|4|COMPLETED|0:0|",
                "43|averylongjobname|batch||16|CANCELLED by 1000|0:15|"),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(DONE, CANCELLED), true, true));
    }

    @Test
    void parsable2HasNoTrailingBar() {
        assertEquals(List.of("JobID|State", "42|COMPLETED"),
                SacctFormat.render(List.of("JobID", "State"), List.of(DONE), true, SacctFormat.Parsable.NO_TRAILING_BAR));
    }

    @Test
    void noHeader() {
        assertEquals(List.of("42           "), SacctFormat.render(List.of("JobID"), List.of(DONE), false, false));
    }

    @Test
    void fieldNamesIgnoreCaseAndTakeWidths() {
        assertEquals(List.of(
                "             JobName State JobID  ",
                "-------------------- ----- ------ ",
                "    averylongjobname CANC+ 43     "),
                SacctFormat.render(List.of("jobname%20", "STATE%5", "jobid%-6"), List.of(CANCELLED), true, false));
        assertEquals(List.of("     hello "), SacctFormat.render(List.of("JobName%0"), List.of(DONE), false, false));
    }

    @Test
    void numbersAreNeverCut() {
        SacctRow big = new SacctRow("1", "x", "p", "a", 123456, "RUNNING", 0, 0);
        assertEquals(List.of("All NCP ", "--- --- ", "123456 123456 "),
                SacctFormat.render(List.of("AllocCPUS%3", "ncpus%3"), List.of(big), true, false));
    }

    @Test
    void jobIdRaw() {
        assertEquals(List.of("42.batch     "), SacctFormat.render(List.of("JobIDRaw"), List.of(STEP), false, false));
    }

    @Test
    void anArrayTaskAndWhereAndWhenItRan() {
        SacctRow requeued = new SacctRow("12_3", "20", "arr", "batch", "", 1, "REQUEUED", 0, 15, "node1",
                "2026-03-10T14:20:00", "2026-03-10T14:25:00");
        assertEquals(List.of(
                "JobID        JobIDRaw          State        NodeList               Start                 End ",
                "------------ ------------ ---------- --------------- ------------------- ------------------- ",
                "12_3         20             REQUEUED           node1 2026-03-10T14:20:00 2026-03-10T14:25:00 "),
                SacctFormat.render(List.of("JobID", "JobIDRaw", "State", "NodeList", "Start", "End"),
                        List.of(requeued), true, false));
        assertEquals(List.of("12_3|20|None assigned|Unknown"), SacctFormat.render(List.of("jobid", "jobidraw",
                "nodelist", "end"), List.of(new SacctRow("12_3", "20", "arr", "batch", "", 1, "PENDING", 0, 0,
                "None assigned", "Unknown", "Unknown")), false, SacctFormat.Parsable.NO_TRAILING_BAR));
    }

    @Test
    void unknownFieldsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SacctFormat.render(List.of("JobID", "Bogus"), List.of(), true, false));
        assertEquals("Invalid field requested: \"Bogus\"", e.getMessage());
    }
}
