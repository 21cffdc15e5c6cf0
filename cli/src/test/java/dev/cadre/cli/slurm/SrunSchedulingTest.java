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
 * srun's -b/--begin, -d/--dependency, -H/--hold, --nice, --priority, --signal and -I/--immediate: outside a job
 * passed on to the job srun submits, with sbatch's meaning and errors in srun's words; inside one ignored as Slurm's
 * srun ignores them.
 */
class SrunSchedulingTest extends SbatchFixture {
    private static final Map<String, String> IN_JOB = Map.of("SLURM_JOB_ID", "5", "SLURM_NTASKS", "2");

    private static SrunOptions srun(Map<String, String> env, String... args) throws SlurmUsageException {
        return SrunOptions.parse(List.of(args), env, CLOCK);
    }

    /** The job srun outside a job submits, its allocation words read by sbatch's parser. */
    private static JobSpec job(String... args) throws SlurmUsageException {
        List<String> argv = new ArrayList<>(srun(Map.of(), args).allocation());
        argv.addAll(List.of("--wrap", "true"));
        return SbatchCommandLine.parseAllocation(argv, ENV, CWD, "alice", "login1", CLOCK).spec();
    }

    private static List<String> error(Map<String, String> env, String... args) {
        return assertThrows(SlurmUsageException.class, () -> srun(env, args)).lines();
    }

    @Test
    void outsideAJobTheyReachTheJobAsSbatchReadsThem() throws Exception {
        assertEquals(List.of("--hold", "--dependency=afterok:40", "--begin=now+60", "--nice", "--priority=7",
                "--signal=B:USR1@30"), srun(Map.of(), "-H", "-d", "afterok:40", "-b", "now+60", "--nice",
                "--priority", "7", "--signal=B:USR1@30", "hostname").allocation());
        JobSpec job = job("-H", "--dependency=afterok:40:41", "--begin=now+60", "--nice=-5", "--priority=7",
                "--signal=B:USR1@30", "hostname");
        assertEquals(JobSpec.HOLD_USER, job.hold());
        assertEquals("afterok:40:41", job.dependency());
        assertEquals(Instant.parse("2026-03-10T14:31:00Z"), job.beginTime());
        assertEquals(-5, job.nice());
        assertEquals(7L, job.priority());
        assertEquals("USR1", job.warningSignal());
        assertEquals(30, job.warningSeconds());
        assertEquals(Boolean.TRUE, job.warningBatchOnly());
        assertEquals(100, job("--nice", "--hold", "hostname").nice(), "sbatch's default");
        assertNull(job("hostname").hold());
        assertEquals(List.of("--begin=16:00", "--dependency=singleton"), srun(Map.of(), "--beg=16:00", "--dep",
                "singleton", "true").allocation(), "long names shortened as getopt takes them");
        assertEquals(List.of("--hold"), srun(Map.of(), "-Hn1", "true").allocation().subList(0, 1),
                "-H bundled with others");
    }

    @Test
    void badValuesGetSbatchsErrorsInSrunsWordsInsideAJobAndOut() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), IN_JOB)) {
            assertEquals(List.of("srun: error: Invalid --begin specification"), error(env, "--begin=someday",
                    "true"));
            assertEquals(List.of("srun: error: Unable to allocate resources: Job dependency problem",
                    "srun: error: --dependency=afterwards:4: 'afterwards:4': the type must be after, afterany,"
                            + " afterok, afternotok, aftercorr or singleton"), error(env, "-d", "afterwards:4",
                    "true"));
            assertEquals(List.of("srun: error: Invalid --nice value: lots"), error(env, "--nice=lots", "true"));
            assertEquals(List.of("srun: error: Priority must be >= 0"), error(env, "--priority=-1", "true"));
            assertEquals(List.of("srun: error: Invalid --signal specification"), error(env, "--signal=NOPE@x",
                    "true"));
            assertEquals(List.of("srun: error: Invalid numeric value \"soon\" for immediate."),
                    error(env, "--immediate=soon", "true"));
            assertEquals(List.of("srun: option '--hold' doesn't allow an argument",
                    "Try \"srun --help\" for more information"), error(env, "--hold=yes", "true"));
        }
        assertEquals(List.of("srun: error: --delay-boot is not supported by this Cadre version"),
                error(Map.of(), "--delay-boot=5", "true"), "Cadre does not boot nodes");
    }

    @Test
    void insideAJobTheyApplyToNoStepAndBeginSaysSoAsSlurmsSrunDoes() throws Exception {
        assertEquals(List.of(SrunScheduling.BEGIN_IN_STEP), srun(IN_JOB, "--begin=now+60", "-n1", "true").notes());
        assertEquals(List.of(), srun(IN_JOB, "-H", "-d", "afterok:4", "--nice", "--priority=3", "--signal=USR1",
                "-I5", "true").notes());
        assertEquals(List.of(), srun(Map.of(), "--begin=now+60", "true").notes(), "outside a job it is the job's");
    }

    @Test
    void immediateTakesOptionalSecondsAttachedAsSlurmDoes() throws Exception {
        assertNull(srun(Map.of(), "true").immediate());
        assertEquals(1, srun(Map.of(), "-I", "true").immediate(), "Slurm's DEFAULT_IMMEDIATE");
        assertEquals(5, srun(Map.of(), "-I5", "true").immediate());
        assertEquals(7, srun(Map.of(), "--immediate=7", "true").immediate());
        assertEquals(1, srun(Map.of(), "--imm", "true").immediate());
        assertNull(srun(Map.of(), "-I0", "true").immediate(), "0 is no limit");
        assertEquals(List.of("5"), srun(Map.of(), "-I", "5").command(), "a separate word is the command");
        assertEquals(List.of(), srun(Map.of(), "-I5", "true").allocation(), "srun keeps -I: the job never sees it");
    }

    @Test
    void anAllocationNotStartedInTimeIsRefusedInEachCommandsWords() {
        ImmediateAllocation srun = ImmediateAllocation.of("srun", 5, Map.of());
        assertEquals(new ImmediateAllocation(5, "srun: error: Unable to allocate resources: Requested nodes are busy",
                1, List.of()), srun);
        assertEquals("salloc: error: Unable to allocate resources: Requested nodes are busy",
                ImmediateAllocation.of("salloc", 1, Map.of()).refusal());
        assertEquals("salloc: error: Unable to allocate resources: Connection timed out",
                ImmediateAllocation.of("salloc", 30, Map.of()).refusal(), "salloc words the errno of its timeout");
        assertNull(ImmediateAllocation.of("srun", null, Map.of()));
        assertEquals(3, ImmediateAllocation.of("srun", 1, Map.of("SLURM_EXIT_IMMEDIATE", "3")).exitCode());
        ImmediateAllocation zero = ImmediateAllocation.of("salloc", 1, Map.of("SLURM_EXIT_IMMEDIATE", "none"));
        assertEquals(1, zero.exitCode());
        assertEquals(List.of("salloc: error: SLURM_EXIT_IMMEDIATE has zero value"), zero.notes());
    }

    @Test
    void sbatchsRefusalLinesAreWordedAsTheAllocatingCommandWordsThem() {
        assertEquals("Unable to allocate resources: Job dependency problem", SrunScheduling.allocationRefusal(
                "Batch job submission failed: Job dependency problem", "Unable to allocate resources"));
        assertEquals("Invalid --time specification", SrunScheduling.allocationRefusal("Invalid --time specification",
                "Job submit/allocate failed"));
    }
}
