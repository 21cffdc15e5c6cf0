package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scontrol update's ArrayTaskThrottle=, StartTime=, Dependency= and Deadline=, read as Slurm reads them; a fixed
 * clock.
 */
class ScontrolUpdateSchedulingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    private static ScontrolUpdate parse(String... words) throws SlurmUsageException {
        return ScontrolUpdate.parse(List.of(words), CLOCK);
    }

    private static String error(String... words) {
        return assertThrows(SlurmUsageException.class, () -> parse(words)).getMessage();
    }

    @Test
    void aThrottleIsAWholeNumberZeroForNone() throws Exception {
        assertEquals(4, parse("JobId=12", "ArrayTaskThrottle=4").arrayTaskThrottle());
        assertEquals(0, parse("JobId=12", "arraytaskthrottle=0").arrayTaskThrottle());
        assertEquals(2, parse("JobId=12", "ArrayTaskT=2").arrayTaskThrottle(), "abbreviated to ten letters");
        for (String bad : List.of("-1", "2.5", "four", "", "12345678")) {
            assertTrue(error("JobId=12", "ArrayTaskThrottle=" + bad).startsWith("scontrol: error: Invalid"
                    + " ArrayTaskThrottle value: " + bad), bad);
        }
        assertTrue(error("JobId=12", "ArrayTask=2").startsWith("Update of this parameter is not supported"));
    }

    @Test
    void aStartTimeTakesEveryFormOfSbatchBegin() throws Exception {
        assertEquals(Instant.parse("2026-11-21T11:00:00Z"), parse("JobId=12", "StartTime=now+1hour").beginTime());
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), parse("JobId=12", "StartTime=now").beginTime());
        assertEquals(Instant.parse("2026-11-21T16:00:00Z"), parse("JobId=12", "StartTime=16:00").beginTime());
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), parse("JobId=12", "st=tomorrow").beginTime());
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), parse("JobId=12", "StartTime=2026-12-01T08:00")
                .beginTime());
        assertTrue(error("JobId=12", "StartTime=soonish").startsWith("scontrol: error: Invalid StartTime value:"
                + " soonish"));
    }

    @Test
    void aDependencyIsCheckedAsSbatchChecksItAndEmptyRemovesIt() throws Exception {
        assertEquals("afterok:11:13", parse("JobId=12", "Dependency=afterok:11:13").dependency());
        assertEquals("", parse("JobId=12", "Dependency=").dependency());
        assertEquals("singleton", parse("JobId=12", "dep=singleton").dependency());
        assertTrue(error("JobId=12", "Dependency=afterwards:11").startsWith("slurm_update error: Job dependency"
                + " problem\nDependency=afterwards:11: "), error("JobId=12", "Dependency=afterwards:11"));
        ScontrolUpdate u = parse("JobId=12", "Nice=5");
        assertNull(u.arrayTaskThrottle());
        assertNull(u.beginTime());
        assertNull(u.dependency());
    }

    @Test
    void aDeadlineTakesEveryFormOfSbatchDeadlineAndCannotBeRemoved() throws Exception {
        assertEquals(Instant.parse("2026-11-21T11:00:00Z"), parse("JobId=12", "Deadline=now+1hour").deadline());
        assertEquals(Instant.parse("2026-11-21T16:00:00Z"), parse("JobId=12", "deadline=16:00").deadline());
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), parse("JobId=12", "Dea=tomorrow").deadline(),
                "abbreviated to three letters");
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), parse("JobId=12", "Deadline=2026-12-01T08:00")
                .deadline());
        assertEquals(Instant.parse("2026-11-21T12:00:00Z"), parse("JobId=12", "Deadline", "now+2hours").deadline(),
                "the value as the next word");
        assertEquals("Invalid time specification (pos=0): soonish", error("JobId=12", "Deadline=soonish"));
        for (String none : List.of("", "None", "Unlimited")) {
            assertTrue(error("JobId=12", "Deadline=" + none).startsWith("Invalid time specification (pos="),
                    "Slurm has no way to remove a deadline: " + none);
        }
        assertNull(parse("JobId=12", "Nice=5").deadline());
    }
}
