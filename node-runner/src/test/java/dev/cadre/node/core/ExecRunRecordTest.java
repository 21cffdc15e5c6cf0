package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ExecRunRecordTest {
    private static final ExecRunRecord RUN = new ExecRunRecord(42, 3, 4711, 123_456);

    @Test
    void readsBackWhatItWrites() {
        assertEquals("42 3 4711 123456\n", RUN.text());
        assertEquals(RUN, ExecRunRecord.parse(RUN.text()));
        assertEquals("42-3-4711.run", RUN.fileName());
    }

    @Test
    void aRecordThatIsNoneIsRefusedNamingWhy() {
        assertEquals("an exec run record has 4 fields (job attempt pid start), not 3",
                assertThrows(IllegalArgumentException.class, () -> ExecRunRecord.parse("42 3 4711")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecRunRecord.parse("42 3 x 1")).getMessage()
                .startsWith("an exec run record holds a field that is no number"));
        assertEquals("not an exec run record: job 42 attempt 3 pid 0 start 1",
                assertThrows(IllegalArgumentException.class, () -> ExecRunRecord.parse("42 3 0 1")).getMessage());
    }

    @Test
    void aPidTakenByALaterProcessIsNeverTakenForTheRun() {
        assertTrue(RUN.mayStillRun(OptionalLong.empty()), "bash gone: what is left of its session is the run's");
        assertTrue(RUN.mayStillRun(OptionalLong.of(123_456)), "bash itself");
        assertFalse(RUN.mayStillRun(OptionalLong.of(123_457)), "another process with bash's pid");
        ExecRunRecord unknownStart = new ExecRunRecord(42, 3, 4711, -1);
        assertTrue(unknownStart.mayStillRun(OptionalLong.empty()));
        assertFalse(unknownStart.mayStillRun(OptionalLong.of(123_456)), "cannot tell: spared");
    }
}
