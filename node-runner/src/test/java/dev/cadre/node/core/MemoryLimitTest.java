package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.Allocation;
import dev.cadre.protocol.JobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLimitTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aJobWithoutAMemoryRequestIsNotWatched() {
        assertTrue(MemoryLimit.of(JobSpec.builder().build()).isEmpty());
        assertEquals(50 * MIB, MemoryLimit.of(JobSpec.builder().memoryMb(50L).build()).orElseThrow().limitBytes());
    }

    @Test
    void overTheRequestIsKilledNamingTheFiguresAndAtItIsNot() {
        MemoryLimit limit = MemoryLimit.of(JobSpec.builder().memoryMb(50L).build()).orElseThrow();
        assertInstanceOf(MemoryLimit.Within.class, limit.check(50 * MIB), "exactly the request is within it");
        var over = assertInstanceOf(MemoryLimit.Exceeded.class, limit.check(412 * MIB + 3));
        assertEquals("used 412 MiB of its 50 MiB memory limit", over.error());
        assertInstanceOf(MemoryLimit.Exceeded.class, limit.check(50 * MIB + 1));
    }

    @Test
    void eachNodeEnforcesItsOwnShareOfTheAllocationAndNamesItself() {
        Allocation allocation = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 2, 2, 0, 512),
                new Allocation.NodeSlots("n2", "host2", 1, 1, 0, 256), new Allocation.NodeSlots("n3", "host3", 1, 1,
                0, 0)));
        JobSpec spec = JobSpec.builder().memoryMb(512L).build();
        assertEquals(256 * MIB, MemoryLimit.onNode(spec, allocation, "n2").orElseThrow().limitBytes());
        assertEquals(512 * MIB, MemoryLimit.onNode(spec, allocation, "n1").orElseThrow().limitBytes());
        assertEquals(512 * MIB, MemoryLimit.onNode(spec, allocation, "n3").orElseThrow().limitBytes(),
                "a slot without a figure (a head before them) takes the request");
        assertTrue(MemoryLimit.onNode(JobSpec.builder().build(), allocation, "n2").isEmpty(),
                "a job without a request is measured on no node, whatever its slots say");
        var over = assertInstanceOf(MemoryLimit.Exceeded.class, MemoryLimit.onNode(spec, allocation, "n2")
                .orElseThrow().check(612 * MIB));
        assertEquals("used 612 MiB of its 256 MiB memory limit on node host2", over.errorOn("host2"));
    }

    @Test
    void anExclusiveJobIsHeldToItsRequestOnEveryNodeNotToTheWholeNodesItsSlotsHold() {
        Allocation allocation = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 8, 8, 0, 15_872),
                new Allocation.NodeSlots("n2", "host2", 8, 8, 0, 15_872)));
        JobSpec spec = JobSpec.builder().memoryMb(1024L).exclusive(true).build();
        assertEquals(MemoryLimit.of(spec), MemoryLimit.onNode(spec, allocation, "n2"));
        assertEquals(1024 * MIB, MemoryLimit.onNode(spec, allocation, "n2").orElseThrow().limitBytes());
        assertTrue(MemoryLimit.onNode(spec.toBuilder().memoryMb(null).build(), allocation, "n2").isEmpty(),
                "--mem=0 (whole nodes, no request) is measured on no node");
    }

    @Test
    void anExclusiveJobsMemoryPerCpuCountsEveryCpuOfEachNodeAsSlurmsDoes() {
        // sbatch --exclusive -n4 --mem-per-cpu=1G: 4 GiB for 4 CPUs asked for, but each node gives all its CPUs.
        Allocation allocation = new Allocation(List.of(new Allocation.NodeSlots("n1", "host1", 2, 16, 0, 63_488),
                new Allocation.NodeSlots("n2", "host2", 2, 8, 0, 31_744), new Allocation.NodeSlots("n3", "host3", 1,
                0, 0, 0)));
        JobSpec spec = JobSpec.builder().memoryMb(4096L).memoryPerCpuMb(1024L).exclusive(true).build();
        assertEquals(16_384 * MIB, MemoryLimit.onNode(spec, allocation, "n1").orElseThrow().limitBytes(),
                "the node running the script too");
        assertEquals(8192 * MIB, MemoryLimit.onNode(spec, allocation, "n2").orElseThrow().limitBytes());
        assertEquals(4096 * MIB, MemoryLimit.onNode(spec, allocation, "n3").orElseThrow().limitBytes(),
                "a slot without its CPUs takes the request");
        assertEquals(4096 * MIB, MemoryLimit.onNode(spec, null, "n1").orElseThrow().limitBytes());
        assertEquals(512 * MIB, MemoryLimit.onNode(spec.toBuilder().exclusive(null).build(), new Allocation(List.of(
                new Allocation.NodeSlots("n1", "host1", 2, 2, 0, 512))), "n1").orElseThrow().limitBytes(),
                "a job sharing its nodes has its share, the CPUs it asked for");
        assertEquals(Long.MAX_VALUE, MemoryLimit.onNode(spec.toBuilder().memoryPerCpuMb(Long.MAX_VALUE / 2).build(),
                allocation, "n1").orElseThrow().limitBytes());
    }

    @Test
    void residentMemoryIsTheSumOfStatmsSecondFieldInPages() {
        // size resident shared text lib data dt
        String a = "26770 5120 1200 10 0 4000 0\n";
        String b = "1000 2560 10 10 0 100 0";
        assertEquals(5120 * 4096L, MemoryLimit.residentBytes(a, 4096));
        assertEquals((5120 + 2560) * 4096L, MemoryLimit.residentBytes(List.of(a, b), 4096));
        assertEquals(0, MemoryLimit.residentBytes("", 4096), "a process that ended mid-read holds nothing");
        assertEquals(0, MemoryLimit.residentBytes("x y", 4096));
        assertEquals(Long.MAX_VALUE, MemoryLimit.residentBytes(List.of("1 " + Long.MAX_VALUE, a), 4096),
                "saturates rather than wrapping to a small sum");
    }

    @Test
    void aRequestTooLargeToCountInBytesIsNeverExceeded() {
        MemoryLimit huge = MemoryLimit.of(JobSpec.builder().memoryMb(Long.MAX_VALUE).build()).orElseThrow();
        assertInstanceOf(MemoryLimit.Within.class, huge.check(Long.MAX_VALUE));
    }

    @Test
    void proportionalBytesAreSmapsRollupsPssLineInKibibytes() {
        String rollup = "56405f717000-7ffef2c8f000 ---p 00000000 00:00 0    [rollup]\nRss:   1708 kB\n"
                + "Pss:    486 kB\nPss_Dirty:  112 kB\n";
        assertEquals(486 * 1024, MemoryLimit.proportionalBytes(rollup));
        assertEquals(-1, MemoryLimit.proportionalBytes(""));
        assertEquals(-1, MemoryLimit.proportionalBytes(null));
        assertEquals(-1, MemoryLimit.proportionalBytes("Pss_Dirty: 112 kB\nPss: lots kB\n"));
    }
}
