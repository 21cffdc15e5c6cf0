package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cadre.protocol.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * --deadline in sbatch, salloc and srun outside a job: read in --begin's forms against the clock into the job's
 * deadline, with Slurm's "Invalid --deadline specification" and "Incompatible begin and deadline time specification"
 * (src/common/slurm_opt.c, src/sbatch/opt.c); srun and salloc say it in their words.
 */
class DeadlineOptionTest extends SbatchFixture {

    @Test
    void sbatchTakesEveryFormOfBeginAgainstTheClock() throws Exception {
        assertEquals(Instant.parse("2026-03-10T15:30:00Z"), spec("--deadline=now+1hour", "job.sh").deadline());
        assertEquals(Instant.parse("2026-03-10T14:40:00Z"), spec("--deadline", "now+600", "job.sh").deadline());
        assertEquals(Instant.parse("2026-03-12T18:00:00Z"), spec("--deadline=2026-03-12T18:00", "job.sh")
                .deadline());
        assertEquals(Instant.parse("2026-03-11T12:00:00Z"), withScript("#SBATCH --deadline=2026-03-11T12:00\n", "s.sh")
                .deadline());
        assertEquals(Instant.parse("2026-03-10T16:00:00Z"), spec("--dead=16:00", "job.sh").deadline(),
                "shortened as getopt takes it");
        assertNull(spec("job.sh").deadline());
    }

    @Test
    void sbatchRefusesWhatIsNoTimeAndADeadlineBeforeTheBegin() {
        assertEquals("Invalid --deadline specification", error("--deadline=someday", "job.sh"));
        assertEquals("Incompatible begin and deadline time specification",
                error("--begin=now+2hour", "--deadline=now+1hour", "job.sh"));
    }

    @Test
    void aDeadlineAtTheBeginIsFine() throws Exception {
        JobSpec job = spec("--begin=now+1hour", "--deadline=now+1hour", "job.sh");
        assertEquals(job.beginTime(), job.deadline());
    }

    @Test
    void sallocPassesItToItsJob() throws Exception {
        SallocCommandLine line = SallocCommandLine.parse(List.of("--deadline=now+60", "hostname"));
        List<String> argv = new ArrayList<>(line.allocation());
        argv.addAll(List.of("--wrap", "true"));
        assertEquals(Instant.parse("2026-03-10T14:31:00Z"),
                SbatchCommandLine.parseSalloc(argv, ENV, CWD, "alice", "login1", CLOCK).spec().deadline());
    }

    @Test
    void srunOutsideAJobPassesItOnAndSaysWhatIsWrongInItsWords() throws Exception {
        SrunOptions srun = SrunOptions.parse(List.of("--deadline=now+60", "hostname"), Map.of(), CLOCK);
        assertEquals(List.of("--deadline=now+60"), srun.allocation());
        List<String> argv = new ArrayList<>(srun.allocation());
        argv.addAll(List.of("--wrap", "true"));
        assertEquals(Instant.parse("2026-03-10T14:31:00Z"),
                SbatchCommandLine.parseAllocation(argv, ENV, CWD, "alice", "login1", CLOCK).spec().deadline());
        assertEquals(List.of("srun: error: Invalid --deadline specification"), assertThrows(
                SlurmUsageException.class, () -> SrunOptions.parse(List.of("--deadline=soon", "true"), Map.of(),
                        CLOCK)).lines());
        assertEquals(List.of("srun: error: Incompatible begin and deadline time specification"), assertThrows(
                SlurmUsageException.class, () -> SrunOptions.parse(List.of("--begin=now+60", "--deadline=now+1",
                        "true"), Map.of(), CLOCK)).lines());
    }
}
