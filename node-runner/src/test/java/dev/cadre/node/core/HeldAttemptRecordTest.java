package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The record of an attempt held for another node's job: its CPU and GPU lines, then its place-job. */
class HeldAttemptRecordTest {
    @Test
    void theCpusAndGpusLinesComeBackAndARecordWithoutThemHoldsNone() {
        HeldAttemptRecord both = new HeldAttemptRecord(new TreeSet<>(Set.of(0, 1)), new TreeSet<>(Set.of(2)), "{}");
        assertEquals("cpus 0-1\ngpus 2\n{}", both.text());
        assertEquals(both, HeldAttemptRecord.parse(both.text()));
        HeldAttemptRecord gpusOnly = HeldAttemptRecord.parse("gpus 1,3\n{\"type\": \"place-job\"}");
        assertEquals(Set.of(), gpusOnly.cpus());
        assertEquals(Set.of(1, 3), gpusOnly.gpus());
        assertEquals("{\"type\": \"place-job\"}", gpusOnly.place());
        HeldAttemptRecord older = HeldAttemptRecord.parse("cpus 3\n{}");
        assertEquals(Set.of(3), older.cpus());
        assertEquals(Set.of(), older.gpus(), "a record from before GPUs were given");
        assertEquals("{}", HeldAttemptRecord.parse("{}").place());
        assertThrows(IllegalArgumentException.class, () -> HeldAttemptRecord.parse("gpus x\n{}"));
    }
}
