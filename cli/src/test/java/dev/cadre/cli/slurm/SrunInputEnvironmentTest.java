package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * srun's input variables (SLURM_TIMELIMIT, SLURM_NTASKS, SLURM_DEPENDENCY, ...) set its options under the command
 * line as Slurm's srun reads them; inside a job the job's own variables keep saying what the job holds.
 */
class SrunInputEnvironmentTest extends SbatchFixture {
    /** What a Cadre batch job is told (node-runner's LaunchPlanner), and what sbatch --export=NONE passes. */
    private static final Map<String, String> JOB = Map.ofEntries(Map.entry("SLURM_JOB_ID", "42"),
            Map.entry("SLURM_JOBID", "42"), Map.entry("SLURM_JOB_NAME", "my job: (1)"),
            Map.entry("SLURM_NTASKS", "4"), Map.entry("SLURM_NPROCS", "4"), Map.entry("SLURM_NNODES", "2"),
            Map.entry("SLURM_JOB_NUM_NODES", "2"), Map.entry("SLURM_NODELIST", "n[1-2]"),
            Map.entry("SLURM_JOB_NODELIST", "n[1-2]"), Map.entry("SLURM_TASKS_PER_NODE", "2(x2)"),
            Map.entry("SLURM_JOB_CPUS_PER_NODE", "4(x2)"), Map.entry("SLURM_CPUS_PER_TASK", "2"),
            Map.entry("SLURM_NTASKS_PER_NODE", "2"), Map.entry("SLURM_MEM_PER_NODE", "100"),
            Map.entry("SLURM_GPUS_PER_TASK", "1"), Map.entry("SLURM_JOB_DEPENDENCY", "afterok:41"),
            Map.entry("SLURM_EXPORT_ENV", "NONE"), Map.entry("SLURM_SUBMIT_DIR", "/home/alice"),
            Map.entry("SLURM_CLUSTER_NAME", "cadre"), Map.entry("SLURM_JOB_PARTITION", "batch"));

    private static SrunOptions srun(Map<String, String> env, String... args) throws SlurmUsageException {
        return SrunOptions.parse(List.of(args), env, CLOCK);
    }

    /** The job srun outside a job submits, its allocation words read by sbatch's parser. */
    private static JobSpec job(Map<String, String> env, String... args) throws SlurmUsageException {
        List<String> argv = new ArrayList<>(srun(env, args).allocation());
        argv.addAll(List.of("--wrap", "true"));
        return SbatchCommandLine.parseAllocation(argv, ENV, CWD, "alice", "login1", CLOCK).spec();
    }

    private static List<String> error(Map<String, String> env, String... args) {
        return assertThrows(SlurmUsageException.class, () -> srun(env, args)).lines();
    }

    private static Map<String, String> inJob(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(JOB);
        env.putAll(vars);
        return env;
    }

    @Test
    void outsideAJobVariablesSizeAndScheduleTheJobSrunSubmits() throws Exception {
        Map<String, String> env = Map.of("SLURM_NTASKS", "4", "SLURM_TIMELIMIT", "10", "SLURM_DEPENDENCY",
                "afterok:40", "SLURM_JOB_NAME", "nightly", "SLURM_MEM_PER_NODE", "2G", "SLURM_CPUS_PER_TASK", "2",
                "SLURM_EXCLUSIVE", "", "SLURM_SIGNAL", "USR1@30", "SLURM_JOB_NUM_NODES", "2");
        SrunOptions o = srun(env, "hostname");
        assertEquals(4, o.tasks());
        assertEquals(2, o.cpusPerTask());
        assertEquals(2, o.nodes());
        assertEquals("nightly", o.jobName());
        JobSpec job = job(env, "hostname");
        assertEquals(4, job.tasks());
        assertEquals(600L, job.timeLimitSeconds());
        assertEquals("afterok:40", job.dependency());
        assertEquals("nightly", job.name());
        assertEquals(2048L, job.memoryMb());
        assertEquals(Boolean.TRUE, job.exclusive());
        assertEquals("USR1", job.warningSignal());
        assertEquals(2, job.nodes());
    }

    @Test
    void variablesSetSrunsOwnOptions() throws Exception {
        SrunOptions o = srun(Map.ofEntries(Map.entry("SLURM_LABELIO", "1"), Map.entry("SLURM_KILL_BAD_EXIT", "1"),
                Map.entry("SLURM_STDOUTMODE", "out-%t"), Map.entry("SLURM_STDERRMODE", "err-%t"),
                Map.entry("SLURM_STDINMODE", "none"), Map.entry("SLURM_OPEN_MODE", "append"),
                Map.entry("SLURM_DISTRIBUTION", "cyclic"), Map.entry("SLURM_MPI_TYPE", "PMIx"),
                Map.entry("SLURM_WORKING_DIR", "/scratch"), Map.entry("SLURM_EXPORT_ENV", "NONE"),
                Map.entry("SRUN_EXPORT_ENV", "ALL,X=1"), Map.entry("SLURM_SRUN_MULTI", "yes")), "tasks.conf");
        assertTrue(o.label());
        assertTrue(o.killOnBadExit());
        assertEquals("out-%t", o.output());
        assertEquals("err-%t", o.error());
        assertEquals(SrunInput.Mode.NONE, o.input().mode());
        assertEquals("a", o.openMode());
        assertTrue(o.cyclic());
        assertEquals("pmix", o.mpi());
        assertEquals("/scratch", o.chdir());
        assertEquals("ALL,X=1", o.export(), "SRUN_EXPORT_ENV over SLURM_EXPORT_ENV");
        assertTrue(o.multiProg());
    }

    @Test
    void theCommandLineWinsOverVariables() throws Exception {
        Map<String, String> env = Map.of("SLURM_NTASKS", "4", "SLURM_TIMELIMIT", "10", "SLURM_JOB_NAME", "env",
                "SLURM_LABELIO", "1", "SLURM_KILL_BAD_EXIT", "1", "SLURM_OPEN_MODE", "append");
        SrunOptions o = srun(env, "-n", "2", "-t", "5", "-J", "line", "-K0", "--open-mode=truncate", "true");
        assertEquals(2, o.tasks());
        assertEquals("line", o.jobName());
        assertFalse(o.killOnBadExit());
        assertEquals("t", o.openMode());
        assertTrue(o.label(), "a flag cannot be turned off on the command line");
        JobSpec job = job(env, "-n", "2", "-t", "5", "-J", "line", "true");
        assertEquals(2, job.tasks());
        assertEquals(300L, job.timeLimitSeconds());
        assertEquals("line", job.name());
        assertEquals(4, srun(Map.of("SLURM_NPROCS", "3", "SLURM_NTASKS", "4"), "true").tasks(),
                "SLURM_NTASKS over SLURM_NPROCS");
    }

    @Test
    void emptyValuesSetNothingAndFlagsReadAsSlurmReadsThem() throws Exception {
        SrunOptions o = srun(Map.of("SLURM_NTASKS", "", "SLURM_JOB_NAME", "", "SLURM_TIMELIMIT", "",
                "SLURM_MPI_TYPE", "", "SLURM_LABELIO", "0", "SLURM_KILL_BAD_EXIT", "0"), "true");
        assertNull(o.tasks());
        assertNull(o.jobName());
        assertNull(o.mpi());
        assertFalse(o.label());
        assertFalse(o.killOnBadExit());
        assertEquals(List.of(), o.allocation());
        assertTrue(srun(Map.of("SLURM_LABELIO", ""), "true").label());
        assertTrue(srun(Map.of("SLURM_LABELIO", "YES"), "true").label());
        assertFalse(srun(Map.of("SLURM_LABELIO", "no"), "true").label());
        assertTrue(srun(Map.of("SLURM_KILL_BAD_EXIT", ""), "true").killOnBadExit());
    }

    @Test
    void aBadValueIsTheOptionsErrorInSrunsWords() {
        assertEquals(List.of("srun: error: Invalid numeric value \"abc\" for --ntasks."),
                error(Map.of("SLURM_NTASKS", "abc"), "true"));
        assertEquals(List.of("srun: error: Invalid numeric value \"0\" for --cpus-per-task."),
                error(Map.of("SLURM_CPUS_PER_TASK", "0"), "true"));
        assertEquals(List.of("srun: error: Invalid --distribution specification"),
                error(Map.of("SLURM_DISTRIBUTION", "diagonal"), "true"));
        assertEquals(List.of("srun: error: Invalid --open-mode specification: x (append or truncate)"),
                error(Map.of("SLURM_OPEN_MODE", "x"), "true"));
        assertEquals(error(Map.of(), "--dependency=bogus", "true"), error(Map.of("SLURM_DEPENDENCY", "bogus"),
                "true"));
        assertEquals(error(Map.of(), "--signal=USR1@x", "true"), error(Map.of("SLURM_SIGNAL", "USR1@x"), "true"));
        SlurmUsageException time = assertThrows(SlurmUsageException.class,
                () -> job(Map.of("SLURM_TIMELIMIT", "soon"), "true"));
        assertEquals(List.of("Invalid --time specification"), time.lines());
    }

    @Test
    void aReservationGoesToTheJobSrunSubmitsAndAStepIgnoresIt() throws Exception {
        assertEquals("maint", job(Map.of(), "--reservation=maint", "true").reservation());
        assertEquals("maint", job(Map.of("SLURM_RESERVATION", "maint"), "true").reservation());
        assertEquals("line", job(Map.of("SLURM_RESERVATION", "maint"), "--reservation", "line", "true")
                .reservation());
        assertNull(job(Map.of(), "true").reservation());
        // Slurm's srun asks for a reservation only with a new allocation; a step in one runs where the job is.
        SrunOptions step = srun(inJob(Map.of("SLURM_RESERVATION", "maint")), "--reservation=other", "true");
        assertEquals(List.of(), step.notes());
    }

    @Test
    void aVariableForARefusedOptionIsRefusedByItsName() throws Exception {
        assertEquals(List.of("srun: error: SLURM_PROFILE is set: --profile is not supported by this Cadre"
                + " version; unset it to run srun here"), error(Map.of("SLURM_PROFILE", "all"), "true"));
        assertEquals(List.of("srun: error: SLURM_OVERCOMMIT is set: --overcommit is not supported by this Cadre"
                + " version; unset it to run srun here"), error(Map.of("SLURM_OVERCOMMIT", "1"), "true"));
        assertEquals(List.of("srun: error: SLURM_NO_KILL is set: --no-kill is not supported by this Cadre"
                + " version; unset it to run srun here"), error(Map.of("SLURM_NO_KILL", ""), "true"));
        assertEquals(List.of("srun: error: SLURMD_DEBUG is set: --slurmd-debug is not supported by this Cadre"
                + " version; unset it to run srun here"), error(inJob(Map.of("SLURMD_DEBUG", "2")), "true"));
        // Set to what asks for nothing, as a flag's 0 or an empty value: nothing to refuse.
        srun(Map.of("SLURM_OVERCOMMIT", "0", "SLURM_PROFILE", ""), "true");
    }

    @Test
    void anIgnoredOptionsVariableIsWarnedOfByItsName() throws Exception {
        assertEquals(List.of("srun: warning: SLURM_ACCOUNT is ignored in Cadre",
                "srun: warning: SLURM_QOS is ignored in Cadre"),
                srun(Map.of("SLURM_ACCOUNT", "proj", "SLURM_QOS", "high", "SLURM_PARTITION", "batch"), "true")
                        .notes());
        assertEquals(List.of("srun: warning: --account is ignored in Cadre"),
                srun(Map.of("SLURM_ACCOUNT", "proj"), "-A", "other", "true").notes());
        assertEquals(List.of(), srun(inJob(Map.of("SLURM_ACCOUNT", "proj")), "true").notes(),
                "warned of where the job's environment came from");
        // Read by nothing: the job srun runs in, and srun's own machinery.
        assertEquals(List.of(), srun(Map.of("SLURM_JOB_NODELIST", "n1", "SLURM_THREADS", "4",
                "SLURM_WAIT4SWITCH", "10", "SLURM_COMPRESS", "lz4"), "true").allocation());
    }

    @Test
    void insideAJobTheJobsOwnVariablesKeepSayingWhatItHolds() throws Exception {
        SrunOptions bare = srun(JOB, "hostname");
        assertEquals(4, bare.tasks());
        assertEquals(2, bare.cpusPerTask());
        assertNull(bare.nodes(), "the step takes the job's nodes (StepLayout)");
        assertNull(bare.tasksPerNode());
        assertNull(bare.jobName());
        assertNull(bare.export());
        assertEquals(List.of(), bare.allocation());
        assertEquals(List.of(), bare.notes());
        SrunOptions one = srun(JOB, "-n1", "hostname");
        assertEquals(1, one.tasks());
        assertNull(one.nodes());
        assertNull(srun(inJob(Map.of("SLURM_NTASKS", "junk")), "true").tasks(), "as before: no count");
    }

    @Test
    void insideAJobVariablesTheJobWasNotGivenStillApply() throws Exception {
        SrunOptions o = srun(inJob(Map.of("SLURM_OPEN_MODE", "a", "SLURM_LABELIO", "1", "SLURM_STDOUTMODE",
                "step-%t.out", "SRUN_EXPORT_ENV", "NONE", "SLURM_DISTRIBUTION", "block")), "true");
        assertEquals("a", o.openMode(), "sbatch --open-mode=append reaches the job's steps, as in Slurm");
        assertTrue(o.label());
        assertEquals("step-%t.out", o.output());
        assertEquals("NONE", o.export());
        assertFalse(o.cyclic());
    }

    @Test
    void everyVariableNamesAnOptionOfSruns() {
        Set<String> keys = new HashSet<>();
        SrunOptions.OPTION_LIST.forEach(option -> keys.add(option.key()));
        Set<String> refused = new HashSet<>();
        SrunRefusedOptions.all().forEach(option -> refused.add(option.key()));
        SrunInputEnvironment.OPTIONS.forEach((variable, key) -> assertTrue(keys.contains(key)
                && !refused.contains(key), variable + " -> " + key));
        SrunInputEnvironment.REFUSED.forEach((variable, key) -> assertTrue(refused.contains(key),
                variable + " -> " + key));
    }

    @Test
    void slurmExitErrorIsTheCodeOfSrunsOwnErrors() {
        assertEquals(1, SrunInputEnvironment.errorExit(Map.of()));
        assertNull(SrunInputEnvironment.errorExitNote(Map.of()));
        assertEquals(7, SrunInputEnvironment.errorExit(Map.of("SLURM_EXIT_ERROR", "7")));
        assertEquals(1, SrunInputEnvironment.errorExit(Map.of("SLURM_EXIT_ERROR", "0")));
        assertEquals("srun: error: SLURM_EXIT_ERROR has zero value",
                SrunInputEnvironment.errorExitNote(Map.of("SLURM_EXIT_ERROR", "none")));
    }
}
