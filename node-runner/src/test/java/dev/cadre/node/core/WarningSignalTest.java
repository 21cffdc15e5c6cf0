package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarningSignalTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private static JobSpec.Builder spec(Long limit, String signal) {
        return JobSpec.builder().user("u").script("#!/bin/sh\n").workDir("/tmp").timeLimitSeconds(limit)
                .warningSignal(signal);
    }

    @Test
    void namesGoToKillWithoutSigAndNumbersAsTheyAre() {
        assertEquals(List.of("-s", "USR1"), WarningSignal.killOptions("USR1"));
        assertEquals(List.of("-s", "USR2"), WarningSignal.killOptions("SIGUSR2"));
        assertEquals(List.of("-10"), WarningSignal.killOptions("10"));
    }

    @Test
    void dueThatLongBeforeTheLimitSixtySecondsUnlessToldAndAtTheStartWhenTheLimitIsShorter() {
        assertEquals(START.plusSeconds(598), WarningSignal.of(spec(600L, "USR1").warningSeconds(2).build(), START)
                .orElseThrow().due());
        assertEquals(START.plusSeconds(540), WarningSignal.of(spec(600L, "USR1").build(), START).orElseThrow().due());
        assertEquals(START, WarningSignal.of(spec(30L, "USR1").build(), START).orElseThrow().due());
    }

    @Test
    void aLimitBeyondTheMaximumWarnsBeforeTheMaximumAndOneBelowASecondAtTheStart() {
        long max = JobSpecValidator.MAX_TIME_LIMIT_SECONDS;
        assertEquals(START.plusSeconds(max - 60), WarningSignal.of(spec(Long.MAX_VALUE, "USR1").build(), START)
                .orElseThrow().due());
        assertEquals(START.plusSeconds(max - 5), WarningSignal.of(spec(4_000_000_000_000_000_000L, "USR1")
                .warningSeconds(5).build(), START).orElseThrow().due());
        assertEquals(START, WarningSignal.of(spec(-3L, "USR1").build(), START).orElseThrow().due());
    }

    @Test
    void onlyTheScriptWhenAskedAndNoWarningWithoutASignalOrATimeLimit() {
        assertTrue(WarningSignal.of(spec(60L, "USR1").warningBatchOnly(true).build(), START).orElseThrow()
                .batchOnly());
        assertFalse(WarningSignal.of(spec(60L, "USR1").warningBatchOnly(false).build(), START).orElseThrow()
                .batchOnly());
        assertTrue(WarningSignal.of(spec(null, "USR1").build(), START).isEmpty());
        assertTrue(WarningSignal.of(spec(60L, null).build(), START).isEmpty());
    }
}
