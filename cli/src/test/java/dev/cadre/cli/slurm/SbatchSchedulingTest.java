package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The options that say when and how often a job runs, and Slurm's complaints about them. */
class SbatchSchedulingTest extends SbatchFixture {

    @Test
    void arrayIsKeptAsWrittenOnceItParses() throws Exception {
        assertEquals("0-5%2", spec("--array=0-5%2", "job.sh").array());
        assertEquals("1,3,5-7", spec("-a", "1,3,5-7", "job.sh").array());
        assertEquals("0-20:4", spec("-a0-20:4", "job.sh").array());
        files.put("a.sh", "#!/bin/sh\n#SBATCH --array=1-3\n");
        assertEquals("1-3", spec("a.sh").array());
        assertEquals("7", spec("--array=7", "a.sh").array(), "the command line wins");
    }

    @Test
    void aBadArrayIsRefusedAsTheControllerWouldWithTheReason() {
        assertEquals("Batch job submission failed: Invalid job array specification\n"
                + "--array=5-1: '5-1' ends before it starts", error("--array=5-1", "job.sh"));
        assertEquals("Batch job submission failed: Invalid job array specification\n"
                + "--array=0-9%0: has throttle %0; at least one task must be allowed to run",
                error("--array=0-9%0", "job.sh"));
        assertEquals("option '--array' requires an argument\n" + SbatchCommandLine.TRY_HELP, error("--array"));
    }

    @Test
    void outputPatternsOfArraysPassThroughForTheNodeToFillIn() throws Exception {
        JobSpec spec = spec("--array=0-3", "-o", "out-%A_%a.txt", "-e", "/logs/%x-%A-%a.err", "job.sh");
        assertEquals(CWD + "/out-%A_%a.txt", spec.stdout());
        assertEquals("/logs/%x-%A-%a.err", spec.stderr());
        assertNull(spec("--array=0-3", "job.sh").stdout(), "slurm-%A_%a.out is the node-runner's default");
    }

    @Test
    void beginTakesEverySlurmFormAgainstTheClock() throws Exception {
        assertEquals(Instant.parse("2026-03-10T15:30:00Z"), spec("--begin=now+1hour", "job.sh").beginTime());
        assertEquals(Instant.parse("2026-03-11T12:00:00Z"), spec("-b", "tomorrow noon", "job.sh").beginTime());
        assertEquals(Instant.parse("2026-03-11T10:00:00Z"), spec("-b10:00", "job.sh").beginTime());
        assertEquals(Instant.parse("2026-04-01T08:15:00Z"), spec("--begin", "2026-04-01T08:15", "job.sh").beginTime());
        assertEquals("Invalid --begin specification", error("--begin=someday", "job.sh"));
    }

    @Test
    void dependenciesAreCheckedAndKept() throws Exception {
        assertEquals("afterok:40:41,afterany:42_3", spec("-d", "afterok:40:41,afterany:42_3", "job.sh").dependency());
        assertEquals("singleton", spec("--dependency=singleton", "job.sh").dependency());
        assertEquals("Batch job submission failed: Job dependency problem\n"
                + "--dependency=afterwards:4: 'afterwards:4': the type must be after, afterany, afterok, afternotok,"
                + " aftercorr or singleton", error("--dependency=afterwards:4", "job.sh"));
        assertEquals(Boolean.FALSE, spec("--kill-on-invalid-dep=no", "job.sh").killOnInvalidDependency());
        assertEquals(Boolean.TRUE, spec("--kill-on-invalid-dep=YES", "job.sh").killOnInvalidDependency());
        assertNull(spec("job.sh").killOnInvalidDependency(), "the scheduler's setting applies");
        assertEquals("Invalid --kill-on-invalid-dep specification", error("--kill-on-invalid-dep=maybe", "job.sh"));
    }

    @Test
    void holdIsTheUsersHold() throws Exception {
        assertEquals(JobSpec.HOLD_USER, spec("--hold", "job.sh").hold());
        assertEquals(JobSpec.HOLD_USER, spec("-H", "job.sh").hold());
        assertNull(spec("job.sh").hold());
        assertEquals("option '--hold' doesn't allow an argument\n" + SbatchCommandLine.TRY_HELP,
                error("--hold=yes", "job.sh"));
    }

    @Test
    void niceWithoutAValueIsAHundredAsInSlurm() throws Exception {
        assertEquals(100, spec("--nice", "job.sh").nice());
        assertEquals(-50, spec("--nice=-50", "job.sh").nice());
        assertEquals(7, spec("--nice=+7", "job.sh").nice());
        assertEquals("Invalid --nice value, out of range (+/- 10000)", error("--nice=10001", "job.sh"));
        assertEquals("Invalid --nice value: lots", error("--nice=lots", "job.sh"));
        // An optional value must be attached: the next word is the script.
        assertEquals(100, spec("--nice", "job.sh").nice());
    }

    @Test
    void priorityIsAFixedOne() throws Exception {
        assertEquals(5000L, spec("--priority=5000", "job.sh").priority());
        assertEquals("Priority must be >= 0", error("--priority=-1", "job.sh"));
        assertEquals("Priority must be <= 1000000000", error("--priority=1000000001", "job.sh"));
        assertEquals("--priority=TOP is not supported by this Cadre version", error("--priority=top", "job.sh"));
        assertEquals("Invalid --priority specification", error("--priority=high", "job.sh"));
    }

    @Test
    void signalTakesSlurmsForms() throws Exception {
        JobSpec plain = spec("--signal=USR1", "job.sh");
        assertEquals("USR1", plain.warningSignal());
        assertEquals(60, plain.warningSeconds(), "Slurm's default warning time");
        assertNull(plain.warningBatchOnly());
        JobSpec batch = spec("--signal=B:SIGUSR2@120", "job.sh");
        assertEquals("USR2", batch.warningSignal());
        assertEquals(120, batch.warningSeconds());
        assertEquals(Boolean.TRUE, batch.warningBatchOnly());
        assertEquals("10", spec("--signal=10@0", "job.sh").warningSignal());
        assertEquals(Boolean.TRUE, spec("--signal=bterm", "job.sh").warningBatchOnly(), "B needs no colon");
        assertEquals("TERM", spec("--signal=b:term@65535", "job.sh").warningSignal());
    }

    @Test
    void badSignalsAndReservationsAreRefused() {
        for (String bad : new String[] {"", "USR1@", "USR1@-5", "USR1@65536", "USR1@1m", "0", "@60", "B:",
            "SIG", "USR1@60@5"}) {
            assertEquals("Invalid --signal specification", error("--signal=" + bad, "job.sh"), bad);
        }
        assertEquals("--signal=R:USR1@30: R (let the job overlap a reservation that has a MaxStartDelay) is not"
                + " supported: Cadre's reservations have no MaxStartDelay", error("--signal=R:USR1@30", "job.sh"));
        assertEquals("--signal=RB:USR1: R (let the job overlap a reservation that has a MaxStartDelay) is not"
                + " supported: Cadre's reservations have no MaxStartDelay", error("--signal=RB:USR1", "job.sh"));
    }
}
