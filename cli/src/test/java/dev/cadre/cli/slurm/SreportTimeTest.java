package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** -t's names as sreport abbreviates them, and its figures as printf rounds them. */
class SreportTimeTest {
    @Test
    void namesAreAbbreviatedAsSreportTakesThem() throws Exception {
        assertEquals(SreportTime.SECONDS, SreportTime.parse("s"));
        assertEquals(SreportTime.MINUTES, SreportTime.parse("Minute"));
        assertEquals(SreportTime.HOURS, SreportTime.parse("HOURS"));
        assertEquals(SreportTime.PERCENT, SreportTime.parse("per"));
        assertEquals(SreportTime.SECONDS_PERCENT, SreportTime.parse("secper"));
        assertEquals(SreportTime.MINUTES_PERCENT, SreportTime.parse("MinPer"));
        assertEquals(SreportTime.HOURS_PERCENT, SreportTime.parse("hourper"));
        assertThrows(SlurmUsageException.class, () -> SreportTime.parse("hourp"));
        assertThrows(SlurmUsageException.class, () -> SreportTime.parse(""));
    }

    @Test
    void figuresRoundAsPrintfDoes() {
        assertEquals("2", SreportTime.MINUTES.format(90, 0), "1.5 goes to the even 2");
        assertEquals("2", SreportTime.MINUTES.format(150, 0), "2.5 goes to the even 2");
        assertEquals("3", SreportTime.MINUTES.format(151, 0));
        assertEquals("1", SreportTime.HOURS.format(5400 - 1, 0));
        assertEquals("125", SreportTime.SECONDS.format(125, 0));
        assertEquals("12.50%", SreportTime.PERCENT.format(1, 8));
        assertEquals("0.00%", SreportTime.PERCENT.format(0, 0));
        assertEquals("2(50.00%)", SreportTime.MINUTES_PERCENT.format(120, 240));
        assertEquals("120(50.00%)", SreportTime.SECONDS_PERCENT.format(120, 240));
    }
}
