package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** scontrol update's KEY=VALUE words, and the job ids scancel and scontrol take. */
class ScontrolUpdateTest {

    private static ScontrolUpdate parse(String... words) throws SlurmUsageException {
        return ScontrolUpdate.parse(List.of(words));
    }

    private static String error(String... words) {
        return assertThrows(SlurmUsageException.class, () -> parse(words)).getMessage();
    }

    @Test
    void everyKeyCadreCanChange() throws Exception {
        ScontrolUpdate u = parse("JobId=12", "TimeLimit=1-02:03:04", "Priority=500", "Nice=-20", "JobName=rerun");
        assertEquals(List.of(new SlurmJobId(12, null)), u.jobs());
        assertEquals(93_784L, u.timeLimitSeconds());
        assertEquals(500L, u.priority());
        assertEquals(-20, u.nice());
        assertEquals("rerun", u.name());
        assertEquals("other", parse("jobid=12", "name=other").name());
    }

    @Test
    void keysMatchWithoutCaseAndAbbreviatedAsInScontrol() throws Exception {
        ScontrolUpdate u = parse("job=12_3,13", "timel=90", "pr=7", "ni=3", "na=x");
        assertEquals(List.of(new SlurmJobId(12, 3), new SlurmJobId(13, null)), u.jobs());
        assertEquals(5400L, u.timeLimitSeconds(), "a bare number is minutes");
        assertEquals(7L, u.priority());
        assertEquals(3, u.nice());
        assertEquals("Update of this parameter is not supported: J=12\nRequest aborted", error("J=12", "Nice=1"));
        assertEquals("Update of this parameter is not supported: TimeLimits=5\nRequest aborted",
                error("JobId=1", "TimeLimits=5"));
    }

    @Test
    void aKeyMayStandApartFromItsValueAndBareNiceIsAHundred() throws Exception {
        ScontrolUpdate u = parse("JobId", "12", "TimeLimit", "5:00", "Nice");
        assertEquals(300L, u.timeLimitSeconds());
        assertEquals(100, u.nice());
        assertNull(u.priority());
        assertEquals("Invalid input: TimeLimit\nRequest aborted", error("JobId=12", "TimeLimit"));
    }

    @Test
    void aTimeLimitChangesByAnAmountWithItsSignBeforeOrAfterTheEqualsSign() throws Exception {
        for (String word : List.of("TimeLimit+=30", "TimeLimit=+30", "timel+=0:30:00")) {
            ScontrolUpdate u = parse("JobId=12", word);
            assertNull(u.timeLimitSeconds(), word);
            assertEquals(1_800L, u.timeLimitChange(), word);
            assertEquals(5_400L, u.newTimeLimit(3_600L), word);
        }
        ScontrolUpdate down = parse("JobId=12", "TimeLimit-=10");
        assertEquals(-600L, down.timeLimitChange());
        assertEquals(3_000L, down.newTimeLimit(3_600L));
        assertEquals(-60L, parse("JobId=12", "TimeLimit=-1").timeLimitChange(), "scontrol's -1: a minute less");
        assertEquals("scontrol: error: TimeLimit decrement larger than current time limit (10 > 5)",
                assertThrows(SlurmUsageException.class, () -> down.newTimeLimit(300L)).getMessage());
        assertTrue(assertThrows(SlurmUsageException.class, () -> down.newTimeLimit(null)).getMessage()
                .contains("no time limit"));
        assertEquals(7_200L, parse("JobId=12", "TimeLimit=2:00:00").newTimeLimit(60L));
    }

    @Test
    void scontrolsComplaints() throws Exception {
        assertEquals("No changes specified", error("JobId=12"));
        assertEquals("scontrol: error: No job ID specified", error("Nice=5"));
        assertEquals("Invalid job id specified for job 12x", error("JobId=12x", "Nice=5"));
        assertEquals("scontrol: error: Invalid TimeLimit value", error("JobId=12", "TimeLimit=soon"));
        assertEquals("scontrol: error: Invalid Priority value: -3", error("JobId=12", "Priority=-3"));
        // -1 hands the job back to the computed priority, as operations.md says.
        assertEquals(-1L, parse("JobId=12", "Priority=-1").priority());
        assertEquals("scontrol: error: Nice value out of range (+/- 10000). Value ignored",
                error("JobId=12", "Nice=20000"));
        assertEquals("Update of this parameter is not supported: Partition=debug\nRequest aborted",
                error("JobId=12", "Partition=debug"));
        assertEquals("scontrol: error: Invalid syntax, variations of +=- are not accepted.",
                error("JobId=12", "TimeLimit+=-10"));
        assertTrue(error("JobId=12", "TimeLimit=UNLIMITED").contains("not removed"));
    }

    @Test
    void jobIdsAreJobsOrArrayTasks() {
        assertEquals(Optional.of(new SlurmJobId(12, null)), SlurmJobId.parse("12"));
        assertEquals(Optional.of(new SlurmJobId(12, 3)), SlurmJobId.parse("12_3"));
        assertEquals("12_3", new SlurmJobId(12, 3).toString());
        for (String bad : new String[] {"", "0", "x", "12_", "_3", "12_[1-3]", "12_3_4", "-1", "12_12345678"}) {
            assertEquals(Optional.empty(), SlurmJobId.parse(bad), bad);
        }
        assertEquals(Optional.of(List.of(new SlurmJobId(1, null), new SlurmJobId(2, 0))),
                SlurmJobId.parseList("1,2_0"));
        assertEquals(Optional.empty(), SlurmJobId.parseList("1,,2"));
    }
}
