package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.OutputMessage;
import org.junit.jupiter.api.Test;

class OutputRangeTest {
    @Test
    void aPositiveOffsetReadsFromThereAndNeverPastTheEnd() {
        assertEquals(new OutputRange(10, 5), OutputRange.of(10, 5, 100));
        assertEquals(new OutputRange(98, 2), OutputRange.of(98, 64, 100));
        assertEquals(new OutputRange(100, 0), OutputRange.of(100, 64, 100));
        // A stale offset from a longer file is brought back to the end of this one.
        assertEquals(new OutputRange(100, 0), OutputRange.of(500, 64, 100));
    }

    @Test
    void aNegativeOffsetCountsBackFromTheEnd() {
        assertEquals(new OutputRange(90, 10), OutputRange.of(-10, 64, 100));
        assertEquals(new OutputRange(0, 64), OutputRange.of(-4096, 64, 100));
        assertEquals(new OutputRange(0, 0), OutputRange.of(-4096, 64, 0));
    }

    @Test
    void aRequestOutOfRangeIsRefusedNamingTheField() {
        assertNull(OutputRange.problem(read("stdout", 0, 65536, 30_000)));
        assertTrue(OutputRange.problem(read("stdin", 0, 10, 0)).startsWith("stream must be"));
        assertTrue(OutputRange.problem(read("../etc/passwd", 0, 10, 0)).startsWith("stream must be"));
        assertTrue(OutputRange.problem(read("stdout", 0, 0, 0)).startsWith("maxBytes"));
        assertTrue(OutputRange.problem(read("stdout", 0, 65537, 0)).startsWith("maxBytes"));
        assertTrue(OutputRange.problem(read("stderr", 0, 10, -1)).startsWith("waitMillis"));
        assertTrue(OutputRange.problem(read("stderr", 0, 10, 30_001)).startsWith("waitMillis"));
        assertTrue(OutputRange.problem(read("stderr", Long.MIN_VALUE, 10, 0)).startsWith("offset"));
    }

    private static OutputMessage.ReadOutput read(String stream, long offset, int maxBytes, long wait) {
        return new OutputMessage.ReadOutput(1, 1, stream, offset, maxBytes, wait);
    }
}
