package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A job that PSS cleared over its statm limit is not walked again every interval, but is when it may have grown. */
class ProportionalRecheckTest {
    private static final long MIB = 1L << 20;

    @Test
    void theFirstReadingOverTheLimitIsMeasuredAndAClearedOneIsTrustedForAWhile() {
        ProportionalRecheck r = new ProportionalRecheck();
        assertTrue(r.due(972 * MIB));
        r.cleared(972 * MIB);
        for (int i = 1; i < ProportionalRecheck.EVERY_INTERVALS; i++) {
            assertFalse(r.due(972 * MIB), "reading " + i + " walked PSS again");
        }
        assertTrue(r.due(972 * MIB), "PSS grows when sharers end, without statm: it is measured again in time");
    }

    @Test
    void growthPastTheMarginIsMeasuredAtOnce() {
        ProportionalRecheck r = new ProportionalRecheck();
        r.cleared(972 * MIB);
        assertFalse(r.due(972 * MIB + 97 * MIB), "within a tenth");
        assertTrue(r.due(972 * MIB + 98 * MIB), "past a tenth");
        r.cleared(100 * MIB);
        assertFalse(r.due(100 * MIB + 64 * MIB));
        assertTrue(r.due(100 * MIB + 64 * MIB + 1), "a small job's margin is 64 MiB");
    }

    @Test
    void aReadingWithinTheLimitOrOverItByPssStartsAfresh() {
        ProportionalRecheck r = new ProportionalRecheck();
        r.cleared(972 * MIB);
        r.forget();
        assertTrue(r.due(972 * MIB));
    }
}
