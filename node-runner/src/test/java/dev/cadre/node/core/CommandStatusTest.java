package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandStatusTest {
    @Test
    void theStatusIsTheFirstLineAndTheUsageTheChildrensTimes() {
        // dash: six digits of fraction; the wrapper's own line is not the command's.
        assertEquals(Optional.of(new CommandStatus(3, new ResourceUsage(530_000L, 20_000L, null))),
                CommandStatus.parse("3\n0m0.010000s 0m0.000000s\n0m0.530000s 0m0.020000s\n"));
        // bash: three digits, minutes beyond the first, and its locale's decimal comma.
        assertEquals(Optional.of(new CommandStatus(0, new ResourceUsage(62_004_000L, 1_500_000L, null))),
                CommandStatus.parse("0\n0m0,001s 0m0,000s\n1m2,004s 0m1,500s\n"));
        // busybox puts a space after the minutes; a shell may give no fraction at all.
        assertEquals(Optional.of(new CommandStatus(255, new ResourceUsage(2_250_000L, 7_000_000L, null))),
                CommandStatus.parse("255\n0m 0.00s 0m 0.00s\n0m 2.25s 0m7s\n"));
    }

    @Test
    void theFourthLineGivesTheDiskBytesAsTheWrappersCountsAfterLessThoseBefore() {
        assertEquals(Optional.of(new CommandStatus(0, new ResourceUsage(530_000L, 20_000L, null, null, 90_112L,
                4_194_304L))), CommandStatus.parse("0\n0m0.01s 0m0.00s\n0m0.53s 0m0.02s\n0 8192 90112 4202496\n"));
        // A count the wrapper could not read, a line cut short or counts gone backwards: no disk figures.
        for (String io : List.of("- - - -", "0 0 1", "5 5 1 9", "0 0 x 1")) {
            assertEquals(Optional.of(new CommandStatus(0, new ResourceUsage(530_000L, 20_000L, null))),
                    CommandStatus.parse("0\n0m0.01s 0m0.00s\n0m0.53s 0m0.02s\n" + io + "\n"), io);
        }
    }

    @Test
    void aWrapperBeforeUsageOrAFileCutShortGivesTheStatusAlone() {
        assertEquals(Optional.of(new CommandStatus(7, null)), CommandStatus.parse("7\n"));
        assertEquals(Optional.of(new CommandStatus(7, null)), CommandStatus.parse("7"));
        assertEquals(Optional.of(new CommandStatus(7, null)), CommandStatus.parse("7\n0m0.01s 0m0.00s\n0m0.5"));
        assertEquals(Optional.of(new CommandStatus(7, null)), CommandStatus.parse("7\n0m0.01s 0m0.00s\nbusy\n"));
    }

    @Test
    void noExitStatusIsNoStatus() {
        assertTrue(CommandStatus.parse("").isEmpty());
        assertTrue(CommandStatus.parse("x\n0m0.01s 0m0.00s\n0m0.5s 0m0.0s\n").isEmpty());
        assertTrue(CommandStatus.parse("256\n").isEmpty());
        assertTrue(CommandStatus.parse("-1\n").isEmpty());
    }
}
