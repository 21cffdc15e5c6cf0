package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandSuspensionTest {
    @Test
    void aSuspendMarksThenStopsAndARepeatStopsAgain() {
        assertEquals(CommandSuspension.Step.MARK_THEN_STOP, CommandSuspension.step(true, false));
        // Redelivered, or resent by a restarted head: the last runner may have died before its signals.
        assertEquals(CommandSuspension.Step.STOP_AGAIN, CommandSuspension.step(true, true));
    }

    @Test
    void aResumeContinuesOnlyWhatTheNodeMarkedSuspended() {
        assertEquals(CommandSuspension.Step.CONTINUE_THEN_UNMARK, CommandSuspension.step(false, true));
        // Never what the job stopped itself.
        assertEquals(CommandSuspension.Step.NOTHING, CommandSuspension.step(false, false));
    }

    @Test
    void theMarkNamesItsAttemptAndReadsBack() {
        assertEquals("42-3.suspended", CommandSuspension.fileName(42, 3));
        ProcessTracking.GroupName read = CommandSuspension.parse("42-3.suspended").orElseThrow();
        assertEquals(42, read.jobId());
        assertEquals(3, read.attempt());
        assertEquals(Optional.of(new ProcessTracking.GroupName(Long.MAX_VALUE, 0, ProcessTracking.GroupName.NONE)),
                CommandSuspension.parse(CommandSuspension.fileName(Long.MAX_VALUE, 0)));
    }

    @Test
    void noOtherNameIsAMark() {
        for (String other : new String[] {"42-3.held", "42-3", "42-3-exec-0.suspended", "42-3-7.suspended",
                "x-3.suspended", "42-y.suspended", ".suspended", "42.suspended", "42-3.suspended.partial",
                "-1-3.suspended", "42--3.suspended", "42-3-.suspended", "99999999999999999999-1.suspended"}) {
            assertTrue(CommandSuspension.parse(other).isEmpty(), other);
        }
    }
}
