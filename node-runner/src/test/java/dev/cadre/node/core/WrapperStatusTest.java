package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.ResourceUsage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WrapperStatusTest {
    @Test
    void aStatusWithUsageReadsEveryField() {
        assertEquals(Optional.of(new WrapperStatus(3, 0, true, new ResourceUsage(512_000L, 48_000L, 62_914_560L))),
                WrapperStatus.parse("3 0 0 512000 48000 62914560\n"));
        assertEquals(Optional.of(new WrapperStatus(0, 15, false, new ResourceUsage(0L, 0L, 0L))),
                WrapperStatus.parse("0 15 1 0 0 0\n"));
        // The largest figures a long holds, as a wrapper's long long prints them.
        assertEquals(Optional.of(new WrapperStatus(0, 0, true, new ResourceUsage(Long.MAX_VALUE, 1L, 2L))),
                WrapperStatus.parse("0 0 0 9223372036854775807 1 2\n"));
    }

    @Test
    void aFigureOrTheLeftoverFieldTheWrapperCouldNotReadIsUnknown() {
        // The perl wrappers without getrusage(2): the CPU from times, the memory unknown.
        assertEquals(Optional.of(new WrapperStatus(1, 0, true, new ResourceUsage(10_000L, 0L, null))),
                WrapperStatus.parse("1 0 0 10000 0 -\n"));
        // JobWrapper, no subreaper: whether anything is left cannot be told, which counts as something left.
        assertEquals(Optional.of(new WrapperStatus(0, 0, false, new ResourceUsage(null, null, null))),
                WrapperStatus.parse("0 0 - - - -\n"));
    }

    @Test
    void statusesOfWrappersBeforeUsageStillReadWithoutIt() {
        assertEquals(Optional.of(new WrapperStatus(3, 0, true, null)), WrapperStatus.parse("3 0 0\n"));
        assertEquals(Optional.of(new WrapperStatus(0, 9, false, null)), WrapperStatus.parse("0 9 1\n"));
        assertEquals(Optional.of(new WrapperStatus(7, 0, false, null)), WrapperStatus.parse("7 0\n"));
    }

    @Test
    void aStatusWithDiskFiguresReadsThemAndTheirDashIsUnknown() {
        assertEquals(Optional.of(new WrapperStatus(0, 0, true, new ResourceUsage(1L, 2L, 3L, null, 4096L, 4194304L))),
                WrapperStatus.parse("0 0 0 1 2 3 4096 4194304\n"));
        assertEquals(Optional.of(new WrapperStatus(0, 0, true, new ResourceUsage(1L, 2L, 3L))),
                WrapperStatus.parse("0 0 0 1 2 3 - -\n"));
        assertEquals(Optional.empty(), WrapperStatus.parse("0 0 0 1 2 3 4 -5"));
    }

    @Test
    void aLineCutShortOrDamagedIsNoStatus() {
        for (String damaged : List.of("", " \n", "3", "3 x", "3 zero\n", "3 0 0 9", "3 0 0 9 9", "3 0 0 9 9 9 9",
                "3 0 0 9 9 9 9 9 9",
                "3 0 x 1 2 3", "3 0 2", "3 0 0 1 2 x", "3 0 0 -5 2 3", "3 0 0 +5 2 3", "3 0 0 1.5 2 3",
                "3 0 0 1 2 9223372036854775808", "3 0 0  1 2 3", "3 0 0 1 2 3 \u0000", "3 0 0 1 2 ")) {
            assertEquals(Optional.empty(), WrapperStatus.parse(damaged), "'" + damaged + "'");
        }
    }
}
