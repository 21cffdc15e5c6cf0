package dev.cadre.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void aWidthOverTenPadsToTenAsSlurmDoesHoweverLargeItIs() {
        assertEquals("0000000054.out", OutputPattern.expand("%20j.out", 54, null, "n", "u", "h"));
        assertEquals("0000000054", OutputPattern.expand("%99999999999j", 54, null, "n", "u", "h"),
                "a width past int's range neither overflows nor pads to gigabytes");
        assertEquals("0000000050_0000000003", OutputPattern.expand("%2000000000A_%2147483648a", 54, TASK_3_OF_50,
                "n", "u", "h"));
        assertEquals("x-%\u0663j", OutputPattern.expand("x-%\u0663j", 54, null, "n", "u", "h"),
                "only ASCII digits make a width");
    }
}
