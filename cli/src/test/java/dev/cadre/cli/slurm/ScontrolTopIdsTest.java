package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** scontrol top's job list, read as slurmctld's job_set_top reads it. */
class ScontrolTopIdsTest {
    @Test
    void idsTasksAndWholeArraysInTheOrderGivenEmptyEntriesSkipped() {
        assertEquals(Optional.of(List.of(new SlurmJobId(12, null), new SlurmJobId(13, 4), new SlurmJobId(14, null))),
                ScontrolTopIds.parse("12,13_4,,14_*"));
        assertEquals("12,13", ScontrolTopIds.named("JobId=12,13"));
        assertEquals("12", ScontrolTopIds.named("job=12"));
        assertEquals("12", ScontrolTopIds.named("JOBID=12"));
    }

    @Test
    void anyMalformedEntryOrAnEmptyListIsNoList() {
        for (String bad : new String[] {"", ",", "12_[1-3]", "12,x", "0", "-3", "12_", "12_3_4", "12 13"}) {
            assertTrue(ScontrolTopIds.parse(bad).isEmpty(), bad);
        }
    }
}
