package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job that PSS cleared over its statm limit is not walked again every interval, but is when it may have grown. */
class ProportionalRecheckTest {
    private static final long MIB = 1L << 20;
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final long SAME = 7;

    @Test
    void theFirstReadingOverTheLimitIsMeasuredAndAClearedOneIsTrustedForAWhile() {
        ProportionalRecheck r = new ProportionalRecheck(Duration.ofMillis(100));
        assertTrue(r.due(972 * MIB, SAME));
        r.cleared(972 * MIB, SAME, 500 * MIB);
        for (int i = 1; i < ProportionalRecheck.EVERY_INTERVALS; i++) {
            assertFalse(r.due(972 * MIB, SAME), "reading " + i + " walked PSS again");
        }
        assertTrue(r.due(972 * MIB, SAME), "PSS grows when sharers end, without statm: it is measured again in time");
    }

    /**
     * PSS grows without statm when forked children write their inherited pages: a clearing stands at most 3 s. Before,
     * it stood for 10 readings whatever the interval: 9 s at the default 1 s with PSS at 2.5 times the limit.
     */
    @Test
    void aClearingStandsAtMostThreeSecondsWhateverTheInterval() {
        ProportionalRecheck r = new ProportionalRecheck(SECOND);
        r.cleared(1052 * MIB, SAME, 186 * MIB);
        assertFalse(r.due(1052 * MIB, SAME));
        assertFalse(r.due(1052 * MIB, SAME));
        assertTrue(r.due(1052 * MIB, SAME), "the third second's reading walks PSS");
        ProportionalRecheck slow = new ProportionalRecheck(Duration.ofSeconds(3));
        slow.cleared(1052 * MIB, SAME, 186 * MIB);
        assertTrue(slow.due(1052 * MIB, SAME), "at 3 s or more apart, every reading over the limit walks PSS");
    }

    @Test
    void growthPastTheMarginOrTheRoomLeftIsMeasuredAtOnce() {
        ProportionalRecheck r = new ProportionalRecheck(Duration.ofMillis(100));
        r.cleared(972 * MIB, SAME, 500 * MIB);
        assertFalse(r.due(972 * MIB + 97 * MIB, SAME), "within a tenth");
        assertTrue(r.due(972 * MIB + 98 * MIB, SAME), "past a tenth");
        r.cleared(100 * MIB, SAME, 500 * MIB);
        assertFalse(r.due(100 * MIB + 64 * MIB, SAME));
        assertTrue(r.due(100 * MIB + 64 * MIB + 1, SAME), "a small job's margin is 64 MiB");
        r.cleared(5000 * MIB, SAME, 2 * MIB);
        assertTrue(r.due(5000 * MIB + 3 * MIB, SAME), "growth past the room PSS left under the limit");
    }

    @Test
    void otherProcessesAreMeasuredAfresh() {
        ProportionalRecheck r = new ProportionalRecheck(Duration.ofMillis(100));
        long before = ProportionalRecheck.processesKey(List.of(10L, 11L, 12L));
        assertEquals(before, ProportionalRecheck.processesKey(List.of(12L, 10L, 11L)), "order does not matter");
        r.cleared(972 * MIB, before, 500 * MIB);
        assertFalse(r.due(972 * MIB, before));
        assertTrue(r.due(972 * MIB, ProportionalRecheck.processesKey(List.of(10L, 11L, 13L))),
                "a new step's processes inherit no clearing");
    }

    @Test
    void aReadingWithinTheLimitOrOverItByPssStartsAfresh() {
        ProportionalRecheck r = new ProportionalRecheck(SECOND);
        r.cleared(972 * MIB, SAME, 500 * MIB);
        r.forget();
        assertTrue(r.due(972 * MIB, SAME));
    }
}
