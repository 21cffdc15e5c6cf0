package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * sacct's virtual memory and disk fields of an ended run, from its attempt's usage: sizes as MaxRSS prints them, the
 * disk ones as sstat prints them (a single byte "1.00M"), on the batch step's row only, and their parts of the
 * TRESUsage fields.
 */
class SacctVmAndDiskFormatTest {
    private static final ResourceUsage USED = new ResourceUsage(5_820_000L, 410_000L, 73_400_320L, 312_475_648L,
            1_048_576L, 52_428_800L);
    /** Not a multiple of 512: sacct leaves it in bytes by default, and --units=M gives it two decimals. */
    private static final ResourceUsage ODD = new ResourceUsage(null, null, null, 312_475_649L, 1_048_577L, 10L);
    private static final List<String> FIELDS = List.of("JobID", "MaxVMSize", "MaxVMSizeNode", "MaxVMSizeTask",
            "AveVMSize", "MaxDiskRead", "MaxDiskReadNode", "MaxDiskReadTask", "AveDiskRead", "MaxDiskWrite",
            "MaxDiskWriteNode", "MaxDiskWriteTask", "AveDiskWrite");

    private static List<String> render(List<String> fields, SacctUnits units, SacctRow... rows) throws Exception {
        return SacctFormat.render(fields, List.of(rows), false, PrintFields.Parsable.NO_TRAILING_BAR, "|",
                ZoneOffset.UTC, units);
    }

    private static SacctRow step(ResourceUsage used) {
        return SacctRow.brief("7.batch", "batch", null, "", 2, "COMPLETED", 0, 0).withUsage(used, "node2");
    }

    @Test
    void theBatchStepShowsItsVirtualMemoryPeakAndDiskBytesAndTheJobsRowNone() throws Exception {
        SacctRow job = SacctRow.brief("7", "sim", "batch", "", 4, "COMPLETED", 0, 0).withUsage(USED, null);
        assertEquals(List.of("7||||||||||||", "7.batch|298M|node2|0|298M|1M|node2|0|1M|50M|node2|0|50M"),
                render(FIELDS, SacctUnits.EXACT, job, step(USED)));
        assertEquals(List.of("7.batch|312475648|node2|0|312475648|1048576|node2|0|1048576|52428800|node2|0|52428800"),
                render(FIELDS, new SacctUnits(null, true), step(USED)));
        assertEquals(List.of("7.batch|298M|node2|0|298M|1M|node2|0|1M|50M|node2|0|50M"),
                render(FIELDS, SacctUnits.of("M", false), step(USED)));
        assertEquals(List.of("7.batch|312475649|node2|0|312475649|1048577|node2|0|1048577|10|node2|0|10"),
                render(FIELDS, SacctUnits.EXACT, step(ODD)));
        assertEquals(List.of("7.batch|298.00M|node2|0|298.00M|1.00M|node2|0|1.00M|0.00M|node2|0|0.00M"),
                render(FIELDS, SacctUnits.of("M", false), step(ODD)));
        assertTrue(SacctFormat.showsUsage(List.of("maxdiskwrite")), "read from the attempts");
        assertTrue(SacctFormat.showsUsage(List.of("MaxVMSize")), "read from the attempts");
    }

    @Test
    void aSingleByteIsOneMegabyteAsSacctPrintsDiskFiguresAndNothingIsZero() throws Exception {
        ResourceUsage tiny = new ResourceUsage(null, null, null, 1L, 1L, 0L);
        assertEquals(List.of("7.batch|1|node2|0|1|1.00M|node2|0|1.00M|0|node2|0|0"),
                render(FIELDS, SacctUnits.EXACT, step(tiny)));
    }

    @Test
    void whatTheNodeCouldNotReadIsBlankAsIsEverythingOfAnOlderAttempt() throws Exception {
        ResourceUsage cpuOnly = new ResourceUsage(1_000_000L, 0L, 4096L);
        assertEquals(List.of("7.batch||||||||||||"), render(FIELDS, SacctUnits.EXACT, step(cpuOnly)));
        assertEquals(List.of("7.batch||||||||||||"), render(FIELDS, SacctUnits.EXACT, step(null)));
    }

    @Test
    void theTresUsageFieldsCarryTheCpuDiskMemoryAndVirtualMemoryKnown() throws Exception {
        List<String> tres = List.of("TRESUsageInMax", "TRESUsageInMaxNode", "TRESUsageInMaxTask", "TRESUsageOutTot",
                "TRESUsageOutMaxNode");
        assertEquals(List.of("cpu=00:00:06,fs/disk=1M,mem=70M,vmem=298M|cpu=node2,fs/disk=node2,mem=node2,"
                + "vmem=node2|cpu=00:00:00,fs/disk=0,mem=0,vmem=0|fs/disk=50M|fs/disk=node2"),
                render(tres, SacctUnits.EXACT, step(USED)));
        assertEquals(List.of("cpu=00:00:01,mem=4K||||"), render(List.of("TRESUsageInAve", "TRESUsageOutAve",
                "TRESUsageOutMin", "TRESUsageOutMaxTask", "TRESUsageOutMinNode"), SacctUnits.EXACT,
                step(new ResourceUsage(1_000_000L, 0L, 4096L))));
        SacctRow job = SacctRow.brief("7", "sim", "batch", "", 4, "COMPLETED", 0, 0).withUsage(USED, null);
        assertEquals(List.of("|"), render(List.of("TRESUsageInTot", "TRESUsageOutTot"), SacctUnits.EXACT, job));
    }
}
