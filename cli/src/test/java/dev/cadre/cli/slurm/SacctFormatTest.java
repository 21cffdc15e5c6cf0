package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SacctFormatTest {

    private static final SacctRow DONE = SacctRow.brief("42", "hello", "batch", "acct", 4, "COMPLETED", 0, 0);
    private static final SacctRow CANCELLED =
            SacctRow.brief("43", "averylongjobname", "batch", null, 16, "CANCELLED by 1000", 0, 15);
    private static final SacctRow STEP = SacctRow.brief("42.batch", "batch", null, "acct", 4, "FAILED", 1, 0);

    @Test
    void defaultHeaderAndDashesMatchSlurm() throws Exception {
        assertEquals(List.of(
                "JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- "),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(), true, false));
    }

    @Test
    void defaultRows() throws Exception {
        assertEquals(List.of(
                "JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- ",
                "42                hello      batch       acct          4  COMPLETED      0:0 ",
                "43           averylong+      batch                    16 CANCELLED+     0:15 ",
                "42.batch          batch                  acct          4     FAILED      1:0 "),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(DONE, CANCELLED, STEP), true, false));
    }

    @Test
    void parsableEndsEveryFieldWithABar() throws Exception {
        assertEquals(List.of(
                "JobID|JobName|Partition|Account|AllocCPUS|State|ExitCode|",
                "42|hello|batch|acct|4|COMPLETED|0:0|",
                "43|averylongjobname|batch||16|CANCELLED by 1000|0:15|"),
                SacctFormat.render(SacctFormat.DEFAULT_FIELDS, List.of(DONE, CANCELLED), true, true));
    }

    @Test
    void aJobKilledForItsMemoryShowsSlurmsExitCode0Colon125() throws Exception {
        SacctRow oom = SacctRow.brief("44", "big", "batch", null, 1, "OUT_OF_MEMORY", 0, 9);
        assertEquals(List.of("JobID|State|ExitCode", "44|OUT_OF_MEMORY|0:125"),
                SacctFormat.render(List.of("JobID", "State", "ExitCode"), List.of(oom), true,
                PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.UTC));
    }

    @Test
    void parsable2HasNoTrailingBar() throws Exception {
        assertEquals(List.of("JobID|State", "42|COMPLETED"),
                SacctFormat.render(List.of("JobID", "State"), List.of(DONE), true, PrintFields.Parsable.NO_TRAILING_BAR,
                ZoneOffset.UTC));
    }

    @Test
    void theDelimiterSeparatesParsableFieldsOnly() throws Exception {
        assertEquals(List.of("JobID,State", "42,COMPLETED"), SacctFormat.render(List.of("JobID", "State"),
                List.of(DONE), true, PrintFields.Parsable.NO_TRAILING_BAR, ",", ZoneOffset.UTC));
        assertEquals(List.of("42::COMPLETED::"), SacctFormat.render(List.of("JobID", "State"), List.of(DONE), false,
                PrintFields.Parsable.TRAILING_BAR, "::", ZoneOffset.UTC));
        assertEquals(List.of("42            COMPLETED "), SacctFormat.render(List.of("JobID", "State"),
                List.of(DONE), false, PrintFields.Parsable.NO, ",", ZoneOffset.UTC));
    }

    @Test
    void noHeader() throws Exception {
        assertEquals(List.of("42           "), SacctFormat.render(List.of("JobID"), List.of(DONE), false, false));
    }

    @Test
    void fieldNamesIgnoreCaseAndTakeWidths() throws Exception {
        assertEquals(List.of(
                "             JobName State JobID  ",
                "-------------------- ----- ------ ",
                "    averylongjobname CANC+ 43     "),
                SacctFormat.render(List.of("jobname%20", "STATE%5", "jobid%-6"), List.of(CANCELLED), true, false));
        assertEquals(List.of("     hello "), SacctFormat.render(List.of("JobName%0"), List.of(DONE), false, false));
    }

    @Test
    void numbersAreNeverCut() throws Exception {
        SacctRow big = SacctRow.brief("1", "x", "p", "a", 123456, "RUNNING", 0, 0);
        assertEquals(List.of("All NCP ", "--- --- ", "123456 123456 "),
                SacctFormat.render(List.of("AllocCPUS%3", "ncpus%3"), List.of(big), true, false));
    }

    @Test
    void jobIdRaw() throws Exception {
        assertEquals(List.of("42.batch     "), SacctFormat.render(List.of("JobIDRaw"), List.of(STEP), false, false));
    }

    @Test
    void anArrayTaskAndWhereAndWhenItRan() throws Exception {
        Instant start = Instant.parse("2026-03-10T14:20:00Z");
        SacctRow requeued = new SacctRow("12_3", "20", "arr", "batch", "", "alice", 1, 1, null, "REQUEUED", 0, 15,
                "node1", start.minusSeconds(60), start.minusSeconds(60), start, start.plusSeconds(300), 300,
                "UNLIMITED", "/w", "None", null, null, null, null);
        assertEquals(List.of(
                "JobID        JobIDRaw          State        NodeList               Start                 End ",
                "------------ ------------ ---------- --------------- ------------------- ------------------- ",
                "12_3         20             REQUEUED           node1 2026-03-10T14:20:00 2026-03-10T14:25:00 "),
                SacctFormat.render(List.of("JobID", "JobIDRaw", "State", "NodeList", "Start", "End"),
                        List.of(requeued), true, false));
        assertEquals(List.of("12_3|20|alice|00:05:00|300|Unknown|2026-03-10T15:20:00"), SacctFormat.render(
                List.of("jobid", "jobidraw", "user", "elapsed", "elapsedraw", "eligible%0", "start"),
                List.of(new SacctRow("12_3", "20", "arr", "batch", "", "alice", 1, 1, null, "PENDING", 0, 0,
                "None assigned", start, null, start, null, 300, "UNLIMITED", "/w", "None", null, null, null, null)),
                false,
                PrintFields.Parsable.NO_TRAILING_BAR, ZoneOffset.ofHours(1)));
    }

    @Test
    void fieldsAreNamedByPrefixInSacctsOrderAndThoseWithoutValuesAreBlank() throws Exception {
        assertEquals(List.of("ExitCode JobID            MaxRSS ", "-------- ------------ ---------- ",
                "     0:0 42                      "),
                SacctFormat.render(List.of("exit", "job", "maxrss"), List.of(DONE), true, false));
        assertEquals(List.of("42||||"), SacctFormat.render(List.of("jobid", "MaxRSS", "AveCPU", "ReqMem"),
                List.of(DONE), false, PrintFields.Parsable.TRAILING_BAR, ZoneOffset.UTC));
    }

    @Test
    void unknownFieldsAreRefused() throws Exception {
        SlurmUsageException e = assertThrows(SlurmUsageException.class,
                () -> SacctFormat.render(List.of("JobID", "Bogus"), List.of(), true, false));
        assertEquals("sacct: error: Invalid field requested: \"Bogus\"", e.getMessage());
    }

    @Test
    void aLongNameIsCutBetweenCharactersWithAPlus() throws Exception {
        SacctRow rockets = SacctRow.brief("45", "\uD83D\uDE80".repeat(12), "batch", null, 1, "COMPLETED", 0, 0);
        SacctRow accented = SacctRow.brief("46", "r\u00e9sum\u00e9", "batch", null, 1, "COMPLETED", 0, 0);
        assertEquals(List.of("   JobName ", "---------- ", "\uD83D\uDE80".repeat(9) + "+ ", "    r\u00e9sum\u00e9 "),
                SacctFormat.render(List.of("JobName"), List.of(rockets, accented), true, false));
    }
}
