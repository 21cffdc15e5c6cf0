package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job that PSS cleared over its statm limit is not walked again every interval, but is when it may have grown. */
class ProportionalRecheckTest {
    private static final long MIB = 1L << 20;
    private static final Duration SECOND = Duration.ofSeconds(1);
    /** One process's statm figure; the readings' sums are given apart, as the tests need them. */
    private static final Map<Long, Long> SAME = Map.of(7L, 972 * MIB);

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

    /**
     * A make driver or shell loop starts a short-lived tool between any two readings. Before, any change of the pids
     * ended the clearing, so such a job had its smaps_rollup walked at every reading.
     */
    @Test
    void newProcessesAndAShortLivedToolGoneKeepTheClearing() {
        ProportionalRecheck r = new ProportionalRecheck(Duration.ofMillis(100));
        r.cleared(1100 * MIB, Map.of(10L, 900 * MIB, 11L, 196 * MIB, 12L, 4 * MIB), 300 * MIB);
        assertFalse(r.due(1100 * MIB, Map.of(12L, 4 * MIB, 10L, 900 * MIB, 11L, 196 * MIB)), "the same, any order");
        assertFalse(r.due(1104 * MIB, Map.of(10L, 900 * MIB, 11L, 196 * MIB, 12L, 4 * MIB, 13L, 4 * MIB)),
                "a new tool beside them");
        assertFalse(r.due(1100 * MIB, Map.of(10L, 900 * MIB, 11L, 196 * MIB, 14L, 4 * MIB)),
                "the tool measured at the clearing gone, the next one running: 4 MiB of the 300 left");
        assertFalse(r.due(1200 * MIB, Map.of(10L, 900 * MIB, 11L, 196 * MIB, 15L, 104 * MIB)),
                "100 MiB more, and the gone tool's 4: within the tenth (110 MiB)");
        assertTrue(r.due(1300 * MIB, Map.of(10L, 900 * MIB, 11L, 196 * MIB, 16L, 204 * MIB)),
                "growth past the tenth, new processes or not");
    }

    /**
     * A sharer that ends leaves its shared pages to the survivors: PSS grows while statm falls, by up to what the
     * gone process held. Two forked workers of 900 MiB shared: statm 1,800, PSS 900 under a limit of 1,000. The
     * second goes and a new process takes 150 MiB of its own: statm 1,050 (less than cleared), PSS 1,050.
     */
    @Test
    void aMeasuredSharerGoneIsMeasuredAgain() {
        ProportionalRecheck r = new ProportionalRecheck(Duration.ofMillis(100));
        r.cleared(1800 * MIB, Map.of(10L, 900 * MIB, 11L, 900 * MIB), 100 * MIB);
        assertFalse(r.due(1800 * MIB, Map.of(10L, 900 * MIB, 11L, 900 * MIB)));
        assertTrue(r.due(1050 * MIB, Map.of(10L, 900 * MIB, 20L, 150 * MIB)), "worker 11 gone");
        r.cleared(1800 * MIB, Map.of(10L, 900 * MIB, 11L, 900 * MIB), 100 * MIB);
        assertTrue(r.due(1800 * MIB, Map.of(10L, 900 * MIB, 12L, 900 * MIB)), "gone, another pid in its place");
    }

    @Test
    void aReadingWithinTheLimitOrOverItByPssStartsAfresh() {
        ProportionalRecheck r = new ProportionalRecheck(SECOND);
        r.cleared(972 * MIB, SAME, 500 * MIB);
        r.forget();
        assertTrue(r.due(972 * MIB, SAME));
    }
}
