package dev.cadre.node.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cadre.protocol.ArrayPart;
import org.junit.jupiter.api.Test;

class OutputPatternTest {
    private static final ArrayPart TASK_3_OF_50 = new ArrayPart(50, 3, null);

    @Test
    void anArrayTaskPrintsItsArrayIdAndTaskIdAndItsOwnJobIdForJ() {
        assertEquals("r-50_3-54.out", OutputPattern.expand("r-%A_%a-%j.out", 54, TASK_3_OF_50, "n", "u", "h"));
        assertEquals("00050_003", OutputPattern.expand("%5A_%3a", 54, TASK_3_OF_50, "n", "u", "h"));
    }

    @Test
    void aJobOutsideAnyArrayPrintsItsJobIdForAAndSlurmsNoValForLowerA() {
        assertEquals("r-54_4294967294", OutputPattern.expand("r-%A_%a", 54, null, "n", "u", "h"));
    }

    @Test
    void theOtherPatternsAreUnchanged() {
        assertEquals("job-x-u-h-0-%-%q", OutputPattern.expand("job-%x-%u-%N-%t-%%-%q", 54, TASK_3_OF_50, "x", "u",
                "h"));
    }
}
