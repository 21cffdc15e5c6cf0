package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sacct's usage fields as Slurm prints them: CPU times by print.c's _elapsed_time, sizes by convert_num_unit with
 * sacct's flags (exact by default, --noconvert, --units), the memory figures on the batch step's row only.
 */
class SacctUsageFormatTest {
    private static final ResourceUsage USED = new ResourceUsage(5_820_000L, 410_000L, 73_400_320L);
    private static final List<String> FIELDS = List.of("JobID", "TotalCPU", "UserCPU", "SystemCPU", "MaxRSS",
            "AveRSS", "MaxRSSNode", "MaxRSSTask");

    private static List<String> render(List<String> fields, SacctUnits units, SacctRow... rows) throws Exception {
        return SacctFormat.render(fields, List.of(rows), false, PrintFields.Parsable.NO_TRAILING_BAR, "|",
                ZoneOffset.UTC, units);
    }

    private static String maxRss(long bytes, SacctUnits units) throws Exception {
        SacctRow step = SacctRow.brief("7.batch", "batch", null, "", 1, "COMPLETED", 0, 0)
                .withUsage(new ResourceUsage(null, null, bytes), "node2");
        return render(List.of("MaxRSS"), units, step).get(0);
    }

    @Test
    void cpuTimesAreMinutesSecondsAndMillisecondsUnderAnHourThenClockTimesAndDays() {
        assertEquals("00:00:00", SlurmTime.formatCpu(0));
        assertEquals("00:01.234", SlurmTime.formatCpu(1_234_567));
        assertEquals("00:59.999", SlurmTime.formatCpu(59_999_999));
        assertEquals("01:01.050", SlurmTime.formatCpu(61_050_000));
        assertEquals("00:00:02", SlurmTime.formatCpu(2_000_999), "less than a millisecond over: no fraction");
        assertEquals("00:05:00", SlurmTime.formatCpu(300_000_000));
        assertEquals("01:02:03", SlurmTime.formatCpu(3_723_456_000L), "from an hour no fraction");
        assertEquals("23:59:59", SlurmTime.formatCpu(86_399_000_000L));
        assertEquals("1-02:03:04", SlurmTime.formatCpu(93_784_000_000L));
        assertEquals("12-00:00:00", SlurmTime.formatCpu(1_036_800_000_000L));
    }

    @Test
    void theJobsRowShowsItsCpuTimesAndTheBatchStepsAlsoItsMemoryPeak() throws Exception {
        SacctRow job = SacctRow.brief("7", "sim", "batch", "", 4, "COMPLETED", 0, 0).withUsage(USED, null);
        SacctRow step = SacctRow.brief("7.batch", "batch", null, "", 2, "COMPLETED", 0, 0).withUsage(USED, "node2");
        assertEquals(List.of("7|00:06.230|00:05.820|00:00.410||||",
                "7.batch|00:06.230|00:05.820|00:00.410|70M|70M|node2|0"), render(FIELDS, SacctUnits.EXACT, job, step));
    }

    @Test
    void theBatchStepsOneTaskIsItsAverageAndLeastInWholeSeconds() throws Exception {
        List<String> perTask = List.of("JobID", "AveCPU", "MinCPU", "MinCPUNode", "MinCPUTask");
        SacctRow job = SacctRow.brief("7", "sim", "batch", "", 4, "COMPLETED", 0, 0).withUsage(USED, null);
        SacctRow step = SacctRow.brief("7.batch", "batch", null, "", 2, "COMPLETED", 0, 0).withUsage(USED, "node2");
        SacctRow hours = SacctRow.brief("8.batch", "batch", null, "", 2, "COMPLETED", 0, 0)
                .withUsage(new ResourceUsage(3_700_000_000L, 23_900_000L, null), "node1");
        SacctRow none = SacctRow.brief("9.batch", "batch", null, "", 1, "COMPLETED", 0, 0).withUsage(null, "node1");
        assertEquals(List.of("7||||", "7.batch|00:00:06|00:00:06|node2|0", "8.batch|01:02:03|01:02:03|node1|0",
                "9.batch||||"), render(perTask, SacctUnits.EXACT, job, step, hours, none));
        assertTrue(SacctFormat.showsUsage(List.of("avecpu")), "read from the attempts, as the other usage fields");
    }

    @Test
    void whatIsNotKnownIsBlank() throws Exception {
        SacctRow none = SacctRow.brief("8.batch", "batch", null, "", 1, "COMPLETED", 0, 0).withUsage(null, "node1");
        SacctRow cpuOnly = SacctRow.brief("9.batch", "batch", null, "", 1, "COMPLETED", 0, 0)
                .withUsage(new ResourceUsage(2_500_000L, null, null), "node1");
        assertEquals(List.of("8.batch|||||||", "9.batch|00:02.500|00:02.500|||||"),
                render(FIELDS, SacctUnits.EXACT, none, cpuOnly));
    }

    @Test
    void theColumnsAreSacctsWidths() throws Exception {
        SacctRow step = SacctRow.brief("7.batch", "batch", null, "", 2, "COMPLETED", 0, 0).withUsage(USED, "node2");
        assertEquals(List.of(
                "  TotalCPU     MaxRSS MaxRSSNode MaxRSSTask ",
                "---------- ---------- ---------- ---------- ",
                " 00:06.230        70M      node2          0 "),
                SacctFormat.render(List.of("TotalCPU", "MaxRSS", "MaxRSSNode", "MaxRSSTask"), List.of(step), true,
                        false));
    }

    @Test
    void sizesAreConvertedExactlyByDefault() throws Exception {
        assertEquals("70M", maxRss(73_400_320L, SacctUnits.EXACT), "71680K is 70M");
        assertEquals("10436K", maxRss(10_686_464L, SacctUnits.EXACT), "10436K is no multiple of 512K");
        assertEquals("2.50M", maxRss(2_621_440L, SacctUnits.EXACT), "a half is still exact");
        assertEquals("1000", maxRss(1000L, SacctUnits.EXACT), "bytes have no letter");
        assertEquals("5000K", maxRss(5_120_000L, SacctUnits.EXACT), "getrusage's 5000 KiB");
        assertEquals("1000.50K", maxRss(1_024_512L, SacctUnits.EXACT), "a multiple of 512, not of 1024");
        assertEquals("4G", maxRss(4L << 30, SacctUnits.EXACT));
        assertEquals("0", maxRss(0L, SacctUnits.EXACT));
    }

    @Test
    void noconvertLeavesBytesAndUnitsConvertsToTheUnitAsked() throws Exception {
        SacctUnits noConvert = new SacctUnits(null, true);
        assertEquals("73400320", maxRss(73_400_320L, noConvert));
        assertEquals("71680K", maxRss(73_400_320L, new SacctUnits(1, false)));
        assertEquals("10.19M", maxRss(10_686_464L, new SacctUnits(2, false)));
        assertEquals("0.07G", maxRss(73_400_320L, new SacctUnits(3, true)), "--units wins over --noconvert");
        assertEquals("1.12K", maxRss(1152L, new SacctUnits(1, false)), "printf rounds a tie to even");
        assertEquals("0", maxRss(0L, new SacctUnits(3, false)));
    }

    @Test
    void reqMemTakesTheSameUnits() throws Exception {
        SacctRow job = new SacctRow("7", "7", "sim", "batch", "", "alice", 1, 1, null, "COMPLETED", 0, 0, "n1", null,
                null, null, null, 0, null, null, null, null, 1536L, null, null);
        assertEquals(List.of("1.50G"), render(List.of("ReqMem"), SacctUnits.EXACT, job));
        assertEquals(List.of("1536M"), render(List.of("ReqMem"), new SacctUnits(null, true), job));
        assertEquals(List.of("1572864K"), render(List.of("ReqMem"), new SacctUnits(1, false), job));
    }

    @Test
    void onlyUsageFieldsNeedTheJobsAttempts() throws Exception {
        assertFalse(SacctFormat.showsUsage(SacctFormat.DEFAULT_FIELDS));
        assertFalse(SacctFormat.showsUsage(List.of("JobID", "Partition%20")));
        assertTrue(SacctFormat.showsUsage(List.of("JobID", "Max%20")), "Max is MaxDiskRead, sacct's first");
        assertTrue(SacctFormat.showsUsage(List.of("JobID", "totalcpu")));
        assertTrue(SacctFormat.showsUsage(List.of("maxrss%12")));
        assertTrue(SacctFormat.showsUsage(SacctFormat.LONG_FIELDS));
    }
}
