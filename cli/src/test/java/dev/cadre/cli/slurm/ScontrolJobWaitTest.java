package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScontrolJobWaitTest {

    @Test
    void theJobIsReadAsScontrolReadsItWithAtoi() {
        assertEquals(Optional.of(new SlurmJobId(12, null)), ScontrolJobWait.target("12"));
        assertEquals(Optional.of(new SlurmJobId(12, 3)), ScontrolJobWait.target("12_3"));
        assertEquals(Optional.of(new SlurmJobId(12, null)), ScontrolJobWait.target("12abc"));
        assertEquals(Optional.of(new SlurmJobId(12, null)), ScontrolJobWait.target(" +12"));
        for (String bad : new String[] {"0", "-3", "abc", "", "_3"}) {
            assertEquals(Optional.empty(), ScontrolJobWait.target(bad), bad);
        }
    }

    @Test
    void aPendingJobIsWaitedForARunningOneIsReadyTheOthersHaveEnded() {
        assertEquals(ScontrolJobWait.Outcome.WAITING, ScontrolJobWait.of("PENDING"));
        assertEquals(ScontrolJobWait.Outcome.WAITING, ScontrolJobWait.of("REQUEUED"));
        assertEquals(ScontrolJobWait.Outcome.READY, ScontrolJobWait.of("RUNNING"));
        for (String s : new String[] {"COMPLETING", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL"}) {
            assertEquals(ScontrolJobWait.Outcome.ENDED, ScontrolJobWait.of(s), s);
        }
        SlurmJobId id = new SlurmJobId(7, null);
        assertEquals("Nodes are ready for job 7", ScontrolJobWait.said(ScontrolJobWait.Outcome.READY, id));
        assertEquals("Job 7 no longer running", ScontrolJobWait.said(ScontrolJobWait.Outcome.ENDED, id));
        assertEquals("Problem running job 7", ScontrolJobWait.said(ScontrolJobWait.Outcome.WAITING, id));
    }
}
