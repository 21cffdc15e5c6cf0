package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.ResourceUsage;
import org.junit.jupiter.api.Test;

class AttemptUsageTest {
    /** cpu.stat as a 6.x kernel writes it with the cpu controller off: the core counters alone. */
    private static final String CPU_STAT = "usage_usec 731043\nuser_usec 520301\nsystem_usec 210742\n"
            + "nice_usec 0\n";

    @Test
    void aCgroupsCountersAreItsCpuStatAndMemoryPeak() {
        assertEquals(new ResourceUsage(520_301L, 210_742L, 73_400_320L),
                AttemptUsage.fromCgroup(CPU_STAT, "73400320\n", null));
        // With the cpu controller on, more lines follow; the order of lines is no matter.
        assertEquals(new ResourceUsage(5L, 6L, 7L), AttemptUsage.fromCgroup("usage_usec 11\nsystem_usec 6\n"
                + "user_usec 5\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\nnr_bursts 0\nburst_usec 0\n", "7",
                null));
    }

    @Test
    void aCounterTheCgroupLacksIsUnknown() {
        // No memory.peak: a kernel before 5.19, or no memory controller for the cgroup (memory on cgroup v1).
        assertEquals(new ResourceUsage(520_301L, 210_742L, null), AttemptUsage.fromCgroup(CPU_STAT, null, null));
        assertEquals(new ResourceUsage(null, null, 4096L), AttemptUsage.fromCgroup(null, "4096\n", null));
        assertEquals(new ResourceUsage(12L, null, null), AttemptUsage.fromCgroup("user_usec 12\n", "max\n", null));
        assertEquals(new ResourceUsage(null, 3L, null), AttemptUsage.fromCgroup("user_usec x\nsystem_usec 3\n",
                "", null));
        // Nothing read at all (the cgroup was gone): no usage.
        assertNull(AttemptUsage.fromCgroup(null, null, null));
        assertNull(AttemptUsage.fromCgroup("usage_usec 5\n", "-1\n", null));
    }

    @Test
    void theCgroupsFiguresGoFirstAndTheWrappersStandInForThoseItLacks() {
        ResourceUsage cgroup = new ResourceUsage(900_000L, 100_000L, null);
        ResourceUsage wrapper = new ResourceUsage(500_000L, 20_000L, 62_914_560L);
        assertEquals(new ResourceUsage(900_000L, 100_000L, 62_914_560L), AttemptUsage.reported(cgroup, wrapper));
        assertEquals(new ResourceUsage(1L, 2L, 3L), AttemptUsage.reported(new ResourceUsage(1L, 2L, 3L), wrapper));
        assertEquals(wrapper, AttemptUsage.reported(null, wrapper));
        assertEquals(cgroup, AttemptUsage.reported(cgroup, null));
    }

    @Test
    void whatKnowsNoFigureIsReportedAsNoUsage() {
        ResourceUsage none = new ResourceUsage(null, null, null);
        assertNull(AttemptUsage.reported(null, null));
        assertNull(AttemptUsage.reported(null, none));
        assertNull(AttemptUsage.reported(none, none));
        assertEquals(new ResourceUsage(null, null, 5L), AttemptUsage.reported(none, new ResourceUsage(null, null,
                5L)));
    }

    @Test
    void remoteCommandsAddTheirCpuTimeAndTheLargestPeakStands() {
        ResourceUsage script = new ResourceUsage(100L, 10L, 8_000_000L);
        ResourceUsage rank = new ResourceUsage(500_000L, 20_000L, 60_000_000L);
        assertEquals(new ResourceUsage(500_100L, 20_010L, 60_000_000L), AttemptUsage.combined(script, rank));
        assertEquals(new ResourceUsage(1_000_100L, 40_010L, 60_000_000L),
                AttemptUsage.combined(AttemptUsage.combined(script, rank), rank));
        // A figure one side lacks is the other's, never made 0; nothing known stays nothing.
        assertEquals(new ResourceUsage(500_100L, 20_010L, 8_000_000L),
                AttemptUsage.combined(script, new ResourceUsage(500_000L, 20_000L, null)));
        assertEquals(rank, AttemptUsage.combined(null, rank));
        assertEquals(script, AttemptUsage.combined(script, null));
        assertNull(AttemptUsage.combined(null, null));
        assertNull(AttemptUsage.combined(new ResourceUsage(null, null, null), null));
        assertEquals(Long.MAX_VALUE, AttemptUsage.combined(new ResourceUsage(Long.MAX_VALUE, null, null), rank)
                .userCpuMicros());
    }

    @Test
    void aUsageReadsBackAsWritten() {
        for (ResourceUsage u : new ResourceUsage[] {new ResourceUsage(1L, 2L, 3L),
                new ResourceUsage(5L, null, null), new ResourceUsage(null, null, 0L)}) {
            assertEquals(u, AttemptUsage.parseText(AttemptUsage.text(u) + "\n"));
        }
        assertEquals("5 - - - - -", AttemptUsage.text(new ResourceUsage(5L, null, null)));
        assertNull(AttemptUsage.parseText("- - -"));
        assertNull(AttemptUsage.parseText("1 2"));
        assertNull(AttemptUsage.parseText("1 2 x"));
        assertNull(AttemptUsage.parseText(""));
    }

    @Test
    void aCgroupsIoStatGivesItsDiskBytesSummedOverDevices() {
        String io = "8:0 rbytes=1048576 wbytes=4194304 rios=16 wios=64 dbytes=0 dios=0\n"
                + "253:1 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n";
        assertEquals(new ResourceUsage(520_301L, 210_742L, null, null, 1_052_672L, 4_194_304L),
                AttemptUsage.fromCgroup(CPU_STAT, null, io));
        // Listed only once used: an empty io.stat is nothing read or written; none at all (no io controller) unknown.
        assertEquals(new ResourceUsage(null, null, null, null, 0L, 0L), AttemptUsage.fromCgroup(null, null, ""));
        assertNull(AttemptUsage.fromCgroup(null, null, null));
    }

    @Test
    void diskBytesAddUpTheVirtualMemoryPeakIsTheLargestAndTheSampledSizeJoinsTheWrappers() {
        ResourceUsage script = new ResourceUsage(1L, 1L, 10L, 300L, 4096L, 8192L);
        ResourceUsage rank = new ResourceUsage(1L, 1L, 20L, 200L, 1L, null);
        assertEquals(new ResourceUsage(2L, 2L, 20L, 300L, 4097L, 8192L), AttemptUsage.combined(script, rank));
        ResourceUsage cgroup = new ResourceUsage(5L, 6L, null);
        assertEquals(new ResourceUsage(5L, 6L, 10L, 300L, 4096L, 8192L), AttemptUsage.reported(cgroup, script));
        assertEquals(new ResourceUsage(1L, 1L, 10L, 500L, 4096L, 8192L), AttemptUsage.withVmSize(script, 500L));
        assertEquals(script, AttemptUsage.withVmSize(script, null));
        assertEquals(new ResourceUsage(null, null, null, 7L, null, null), AttemptUsage.withVmSize(null, 7L));
        assertNull(AttemptUsage.reported(null, new ResourceUsage(null, null, null, null, null, null)));
    }

    @Test
    void theVirtualMemoryAndDiskFiguresReadBackAndAnEarlierRunnersLineStillReads() {
        ResourceUsage u = new ResourceUsage(1L, null, 3L, 4L, 5L, null);
        assertEquals("1 - 3 4 5 -", AttemptUsage.text(u));
        assertEquals(u, AttemptUsage.parseText(AttemptUsage.text(u)));
        assertEquals(new ResourceUsage(1L, 2L, 3L), AttemptUsage.parseText("1 2 3\n"));
        assertNull(AttemptUsage.parseText("1 2 3 4"));
    }
}
