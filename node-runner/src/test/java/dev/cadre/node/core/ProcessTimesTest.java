package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.ResourceUsage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessTimesTest {
    /** The fields after the command name, as a 6.x kernel writes them: utime 250, stime 31, cutime 7, cstime 2. */
    private static final String AFTER_NAME = " R 831 831 29192 0 -1 4194304 100 0 0 0 250 31 7 2 20 0 1 0 4591156"
            + " 3133440 381 18446744073709551615 94289961414656 94289961434537 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

    @Test
    void readsTheCpuTimesAndTheStartTime() {
        assertEquals(Optional.of(new ProcessTimes(250, 31, 7, 2, 4591156)), ProcessTimes.parse("833 (cat)"
                + AFTER_NAME));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesIsSkippedWhole() {
        ProcessTimes expected = new ProcessTimes(250, 31, 7, 2, 4591156);
        assertEquals(Optional.of(expected), ProcessTimes.parse("833 (my job (2) x)" + AFTER_NAME));
        // A name that looks like the fields that follow it: 15 characters cannot hold a whole line's worth.
        assertEquals(Optional.of(expected), ProcessTimes.parse("833 () 1 2 3 4 5 6 7)" + AFTER_NAME));
        assertEquals(Optional.of(expected), ProcessTimes.parse("833 ())" + AFTER_NAME));
    }

    @Test
    void aLineCutShortOrDamagedIsNone() {
        assertEquals(Optional.empty(), ProcessTimes.parse(null));
        assertEquals(Optional.empty(), ProcessTimes.parse(""));
        assertEquals(Optional.empty(), ProcessTimes.parse("833 (cat) R 831 831 29192 0 -1 4194304 100 0 0 0 250"));
        assertEquals(Optional.empty(), ProcessTimes.parse("833 cat R 831 831 29192 0 -1 4194304 100 0 0 0 250 31 7"
                + " 2 20 0 1 0 4591156 3133440"), "no command name");
        assertEquals(Optional.empty(), ProcessTimes.parse("833 )cat( R 831 831 29192 0 -1 4194304 100 0 0 0 250 31"
                + " 7 2 20 0 1 0 4591156 3133440"), "parentheses the wrong way round");
        assertEquals(Optional.empty(), ProcessTimes.parse("833 (cat)" + AFTER_NAME.replace(" 250 ", " x ")));
        assertEquals(Optional.empty(), ProcessTimes.parse("833 (cat)" + AFTER_NAME.replace(" 7 2 ", " -7 2 ")));
        assertEquals(Optional.empty(), ProcessTimes.parse("833 (cat)" + AFTER_NAME.replace(" 250 ",
                " 99999999999999999999 ")), "past a long");
    }

    @Test
    void theUsageSumsOwnAndReapedTimesInMicroseconds() {
        List<ProcessTimes> session = List.of(new ProcessTimes(250, 31, 7, 2, 1), new ProcessTimes(100, 0, 0, 0, 2));
        assertEquals(new ResourceUsage(3_570_000L, 330_000L, null), ProcessTimes.usage(session, 100));
        // A wrapper's own times are Cadre's; what it reaped is the job's.
        assertEquals(new ResourceUsage(70_000L, 20_000L, null),
                ProcessTimes.usage(List.of(session.get(0).reapedOnly()), 100));
        // Another USER_HZ, not dividing a second evenly.
        assertEquals(new ResourceUsage(1_000_000L + 333_333L, 0L, null),
                ProcessTimes.usage(List.of(new ProcessTimes(4, 0, 0, 0, 1)), 3));
    }

    @Test
    void noProcessIsNoUsageAndHugeCountsSaturate() {
        assertNull(ProcessTimes.usage(List.of(), 100));
        ResourceUsage huge = ProcessTimes.usage(List.of(new ProcessTimes(Long.MAX_VALUE, 0, 5, 0, 1)), 100);
        assertEquals(Long.MAX_VALUE, huge.userCpuMicros());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcessTimes.usage(List.of(), 0)).getMessage()
                .contains("clock ticks"));
    }
}
