package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SBATCH_* variables set options over the script's #SBATCH lines and under the command line, as Slurm's do. */
class SbatchInputEnvironmentTest extends SbatchFixture {

    private JobSpec specIn(Map<String, String> vars, String... argv) throws SlurmUsageException {
        return parseIn(with(vars), argv).spec();
    }

    private static Map<String, String> with(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(ENV);
        env.putAll(vars);
        return env;
    }

    @Test
    void variablesSetTheJobsOptions() throws Exception {
        JobSpec spec = specIn(Map.of("SBATCH_TIMELIMIT", "1:30:00", "SBATCH_JOB_NAME", "nightly",
                "SBATCH_OUTPUT", "logs/%j.out", "SBATCH_MEM_PER_NODE", "2G", "SBATCH_ARRAY_INX", "1-3",
                "SBATCH_EXCLUSIVE", "", "SBATCH_NO_REQUEUE", "1"), "job.sh");
        assertEquals(5400L, spec.timeLimitSeconds());
        assertEquals("nightly", spec.name());
        assertEquals(CWD + "/logs/%j.out", spec.stdout());
        assertEquals(2048L, spec.memoryMb());
        assertEquals("1-3", spec.array());
        assertEquals(Boolean.TRUE, spec.exclusive());
        assertEquals(Boolean.FALSE, spec.requeue());
    }

    @Test
    void theCommandLineOverridesThemAndTheyOverrideTheScript() throws Exception {
        files.put("s.sh", "#!/bin/sh\n#SBATCH --time=5 --job-name=from-script\n#SBATCH --mem=1G\necho\n");
        Map<String, String> vars = Map.of("SBATCH_TIMELIMIT", "10", "SBATCH_JOB_NAME", "from-env");
        JobSpec spec = specIn(vars, "--time=20", "s.sh");
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals("from-env", spec.name());
        assertEquals(1024L, spec.memoryMb(), "an option no variable sets stays the script's");
        assertEquals(600L, specIn(vars, "s.sh").timeLimitSeconds());
        assertEquals(300L, spec("s.sh").timeLimitSeconds());
    }

    @Test
    void aFlagsVariableTurnsItOnWhenEmptyYesOrANumberNotZero() throws Exception {
        for (String on : List.of("", "yes", "YES", "1", "42", "-1", "7days", " 3")) {
            assertTrue(parseIn(with(Map.of("SBATCH_WAIT", on)), "job.sh").waitForEnd(), "'" + on + "'");
        }
        for (String off : List.of("no", "0", "000", "true", "on", "x1")) {
            assertFalse(parseIn(with(Map.of("SBATCH_WAIT", off)), "job.sh").waitForEnd(), "'" + off + "'");
        }
        assertEquals(Boolean.TRUE, specIn(Map.of("SBATCH_NO_REQUEUE", "1", "SBATCH_REQUEUE", "yes"), "job.sh")
                .requeue(), "SBATCH_REQUEUE comes after SBATCH_NO_REQUEUE in Slurm's order");
    }

    @Test
    void anEmptyValueSetsNothingAndABadOneIsRefusedAsTheOptionIs() throws Exception {
        assertNull(specIn(Map.of("SBATCH_TIMELIMIT", ""), "job.sh").timeLimitSeconds());
        var bad = assertThrows(SlurmUsageException.class, () -> specIn(Map.of("SBATCH_TIMELIMIT", "soon"), "job.sh"));
        assertEquals("Invalid --time specification", bad.getMessage());
        var refused = assertThrows(SlurmUsageException.class,
                () -> specIn(Map.of("SBATCH_PROFILE", "task"), "job.sh"));
        assertEquals("SBATCH_PROFILE is set: --profile is not supported by this Cadre version; unset it to"
                + " submit here", refused.getMessage());
        assertEquals("maint", specIn(Map.of("SBATCH_RESERVATION", "maint"), "job.sh").reservation());
    }

    @Test
    void aVariableForAnOptionCadreIgnoresWarnsAsTheOptionDoes() throws Exception {
        SbatchRequest request = parseIn(with(Map.of("SBATCH_ACCOUNT", "physics", "SLURM_HINT", "nomultithread")),
                "job.sh");
        assertEquals(List.of("sbatch: warning: --account is ignored: Cadre has no accounts",
                "sbatch: warning: --hint is ignored: Cadre does no CPU binding"), request.warnings());
        assertEquals(List.of(), parseIn(with(Map.of("SBATCH_PARTITION", SqueueJob.PARTITION)), "job.sh").warnings());
    }

    @Test
    void srunsOwnAllocationTakesNoSbatchVariables() throws Exception {
        Map<String, String> env = with(Map.of("SBATCH_TIMELIMIT", "10", "SBATCH_JOB_NAME", "from-env"));
        JobSpec spec = SbatchCommandLine.parseAllocation(List.of("--job-name=hostname", "--wrap", "hostname"), env,
                CWD, "alice", "login1", CLOCK).spec();
        assertNull(spec.timeLimitSeconds());
        assertEquals("hostname", spec.name());
        assertEquals("10", spec.environment().get("SBATCH_TIMELIMIT"), "the job still sees the variable");
    }

    @Test
    void sallocTakesItsOwnVariablesUnderItsCommandLineAndNoneOfSbatchs() throws Exception {
        Map<String, String> env = with(Map.of("SALLOC_TIMELIMIT", "20", "SALLOC_MEM_PER_NODE", "1G",
                "SALLOC_EXCLUSIVE", "", "SBATCH_JOB_NAME", "from-sbatch", "SBATCH_GPUS_PER_TASK", "1",
                "SALLOC_BELL", "", "SALLOC_WAIT4SWITCH", "5"));
        JobSpec spec = SbatchCommandLine.parseSalloc(List.of("--mem=512M", "-J", "sh", "--wrap", "true"), env, CWD,
                "alice", "login1", CLOCK).spec();
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals(512L, spec.memoryMb(), "the command line wins over SALLOC_MEM_PER_NODE");
        assertEquals(Boolean.TRUE, spec.exclusive());
        assertEquals("sh", spec.name());
        assertNull(spec.gpusPerTask(), "SBATCH_* variables are sbatch's alone");
        var refused = assertThrows(SlurmUsageException.class, () -> SbatchCommandLine.parseSalloc(
                List.of("--wrap", "true"), with(Map.of("SALLOC_KILL_CMD", "9")), CWD, "alice", "login1", CLOCK));
        assertEquals(List.of("SALLOC_KILL_CMD is set: salloc's --kill-command is not supported by this Cadre"
                + " version; unset it to allocate here"), refused.lines());
        assertNull(SbatchCommandLine.parseSalloc(List.of("--wrap", "true"), with(Map.of("SALLOC_IMMEDIATE", "30")),
                CWD, "alice", "login1", CLOCK).spec().hold(), "SALLOC_IMMEDIATE is salloc's own (SallocCommandLine)");
        var bad = assertThrows(SlurmUsageException.class, () -> SbatchCommandLine.parseSalloc(
                List.of("--wrap", "true"), with(Map.of("SALLOC_TIMELIMIT", "soon")), CWD, "alice", "login1", CLOCK));
        assertEquals(List.of("Invalid --time specification"), bad.lines(), "as Slurm says it of the variable too");
    }
}
