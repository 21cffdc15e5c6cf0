package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VirtualMemoryTest {
    /** The head of a /proc/PID/status as a 6.x kernel writes it. */
    private static final String STATUS = """
            Name:\tsleep
            Umask:\t0022
            State:\tS (sleeping)
            Tgid:\t4711
            Pid:\t4711
            VmPeak:\t    5912 kB
            VmSize:\t    3892 kB
            VmLck:\t       0 kB
            VmRSS:\t    1972 kB
            Threads:\t1
            """;

    @Test
    void readsVmSizeInBytes() {
        assertEquals(OptionalLong.of(3892L * 1024), VirtualMemory.sizeBytes(STATUS));
        assertEquals(OptionalLong.of(Long.MAX_VALUE), VirtualMemory.sizeBytes("VmSize:\t9223372036854775 kB\n"),
                "saturates rather than wraps");
    }

    @Test
    void aKernelThreadOrZombieHasNoneAndNeitherHasADamagedText() {
        // A kernel thread's or a zombie's status has no Vm lines at all.
        assertEquals(OptionalLong.empty(), VirtualMemory.sizeBytes("Name:\tkthreadd\nState:\tS (sleeping)\n"));
        assertEquals(OptionalLong.empty(), VirtualMemory.sizeBytes(null));
        assertEquals(OptionalLong.empty(), VirtualMemory.sizeBytes(STATUS.replace("3892 kB", "3892")));
        assertEquals(OptionalLong.empty(), VirtualMemory.sizeBytes(STATUS.replace("3892 kB", "-3 kB")));
        // A command named to look like the field: the kernel writes its newline as \n, so no line starts with it.
        assertEquals(OptionalLong.of(3892L * 1024), VirtualMemory.sizeBytes(STATUS.replace("Name:\tsleep",
                "Name:\tx\\nVmSize:\\t1 kB")));
    }

    @Test
    void statmsFirstFieldIsTheSizeInPages() {
        assertEquals(OptionalLong.of(973L * 4096), VirtualMemory.fromStatm("973 128 112 4 0 81 0\n", 4096));
        assertEquals(OptionalLong.of(0), VirtualMemory.fromStatm("0 0 0 0 0 0 0\n", 4096), "a zombie's");
        assertEquals(OptionalLong.of(Long.MAX_VALUE), VirtualMemory.fromStatm("9223372036854775 1\n", 4096));
        assertEquals(OptionalLong.empty(), VirtualMemory.fromStatm("", 4096));
        assertEquals(OptionalLong.empty(), VirtualMemory.fromStatm("x 1\n", 4096));
        assertEquals(OptionalLong.empty(), VirtualMemory.fromStatm(null, 4096));
    }
}
