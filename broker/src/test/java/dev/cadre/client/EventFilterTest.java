package dev.cadre.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EventFilterTest {
    @Test
    void theSelectorNamesEachNarrowing() {
        assertNull(EventFilter.all().selector());
        assertEquals("jobId = 7", EventFilter.job(7).selector());
        assertEquals("arrayJobId = 12", EventFilter.array(12).selector());
        assertEquals("arrayJobId = 12 AND (arrayTaskId = 3 OR arrayTaskId IS NULL)",
                EventFilter.task(12, 3).selector());
        assertEquals("user = 'o''brien'", EventFilter.user("o'brien").selector());
        assertEquals("user = 'ann' AND state IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL',"
                + " 'OUT_OF_MEMORY', 'DEADLINE')",
                EventFilter.user("ann").endings().selector());
        assertEquals("state IN ('COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY',"
                + " 'DEADLINE')",
                EventFilter.all().endings().selector());
    }

    @Test
    void aCancellerIsOneStringLiteralWhateverItsName() {
        assertEquals("cancelledBy = 'alice'", EventFilter.cancelledBy("alice").selector());
        assertEquals("cancelledBy = 'o''brien'", EventFilter.cancelledBy("o'brien").selector());
        assertEquals("cancelledBy = 'x'' OR cancelledBy IS NOT NULL OR ''a''=''b'",
                EventFilter.cancelledBy("x' OR cancelledBy IS NOT NULL OR 'a'='b").selector());
        assertEquals("cancelledBy = ''''", EventFilter.cancelledBy("'").selector());
        assertEquals("user = 'bob' AND cancelledBy = 'alice' AND state IN ('COMPLETED', 'FAILED', 'CANCELLED',"
                + " 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'DEADLINE')",
                EventFilter.user("bob").withCanceller("alice").endings().selector());
        assertEquals("jobId = 7 AND cancelledBy = 'alice'", EventFilter.job(7).withCanceller("alice").selector());
    }

    @Test
    void aTaskIsSelectedWithinItsArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventFilter(null, null, 3, null, false));
        assertEquals("a task is selected within its array: arrayTaskId needs arrayJobId", e.getMessage());
    }
}
