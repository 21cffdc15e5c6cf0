package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqueueFormatTest {

    private static final SqueueRow RUNNING =
            new SqueueRow("123", "batch", "myjob", "alice", "R", "RUNNING", 65, 3600L, 1, 4, "node1");
    private static final SqueueRow PENDING =
            new SqueueRow("124", "batch", "averyverylongname", "bartholomew", "PD", "PENDING", 0, null, 2, 8,
                    "(Resources)");
    private static final SqueueRow LONG_RUNNING =
            new SqueueRow("99", "batch", "sim", "carol", "R", "RUNNING", 1047845, 2000000L, 12, 96, "node[01-12]");

    @Test
    void defaultHeaderMatchesSlurm() {
        assertEquals(List.of("             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)"),
                SqueueFormat.render(SqueueFormat.DEFAULT, List.of(), true));
    }

    @Test
    void defaultRows() {
        assertEquals(List.of(
                "             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)",
                "               123     batch    myjob    alice  R       1:05      1 node1",
                "               124     batch averyver bartholo PD       0:00      2 (Resources)",
                "                99     batch      sim    carol  R 12-03:04:05     12 node[01-12]"),
                SqueueFormat.render(SqueueFormat.DEFAULT, List.of(RUNNING, PENDING, LONG_RUNNING), true));
    }

    @Test
    void noHeader() {
        assertEquals(List.of("123 alice"), SqueueFormat.render("%i %u", List.of(RUNNING), false));
    }

    @Test
    void leftJustifiedFieldsArePaddedAndCut() {
        assertEquals(List.of("JOBID |NAME      |ST", "123   |myjob     |R ", "124   |averyveryl|PD"),
                SqueueFormat.render("%6i|%10j|%2t", List.of(RUNNING, PENDING), true));
        assertEquals(List.of("NAME      |", "myjob     |"), SqueueFormat.render("%-10j|", List.of(RUNNING), true));
    }

    @Test
    void headersAreCutLikeValues() {
        assertEquals(List.of("PARTI|NA", "batch|my"), SqueueFormat.render("%.5P|%2j", List.of(RUNNING), true));
    }

    @Test
    void timesAreCutOnlyWhenLeftJustified() {
        assertEquals(List.of("TIME|TIME|TIME_LIMIT", "1:05|1:05|   1:00:00"),
                SqueueFormat.render("%.4M|%4M|%.10l", List.of(RUNNING), true));
        assertEquals(List.of("12-03:04:05|12-0|23-03:33:20"),
                SqueueFormat.render("%.3M|%4M|%.3l", List.of(LONG_RUNNING), false));
    }

    @Test
    void unlimitedIsCutLikeText() {
        assertEquals(List.of("UNLIMITED|UNLIM"), SqueueFormat.render("%l|%.5l", List.of(PENDING), false));
    }

    @Test
    void nodeListsAreNeverCutButReasonsAre() {
        assertEquals(List.of("NODELIST(REASON)|NODELIST", "node[01-12]|node[01-12]"),
                SqueueFormat.render("%.3R|%.3N", List.of(LONG_RUNNING), true));
        assertEquals(List.of("(Re|   "), SqueueFormat.render("%.3R|%.3N", List.of(PENDING), false));
    }

    @Test
    void stateCpuReasonAndNodeListFields() {
        assertEquals(List.of(
                "STATE     CPUS REASON    NODELIST",
                "RUNNING   4    None      node1",
                "PENDING   8    Resources "),
                SqueueFormat.render("%10T%4C %10r%N", List.of(RUNNING, PENDING), true));
    }

    @Test
    void literalTextIsKept() {
        assertEquals(List.of("id=JOBID (NAME) by USER!", "id=123 (myjob) by alice!"),
                SqueueFormat.render("id=%i (%j) by %u!", List.of(RUNNING), true));
        assertEquals(List.of("just text", "just text"), SqueueFormat.render("just text", List.of(RUNNING), true));
    }

    @Test
    void repeatedPercentSignsPrintNothing() {
        assertEquals(List.of("123 myjob"), SqueueFormat.render("%%i %%j", List.of(RUNNING), false));
    }

    @Test
    void unknownLettersArePrintedAsWritten() {
        assertEquals(List.of("JOBID %5z end", "123 %5z end"), SqueueFormat.render("%i %5z end", List.of(RUNNING), true));
        assertEquals(List.of("Invalid job format specification: z"), SqueueFormat.problems("%i %5z end"));
        assertEquals(List.of(), SqueueFormat.problems(SqueueFormat.DEFAULT));
    }

    @Test
    void nullTextIsEmpty() {
        SqueueRow row = new SqueueRow("1", null, null, null, "R", "RUNNING", 0, null, 1, 1, null);
        assertEquals(List.of("[  ][][]"), SqueueFormat.render("[%2P][%j][%R]", List.of(row), false));
    }
}
