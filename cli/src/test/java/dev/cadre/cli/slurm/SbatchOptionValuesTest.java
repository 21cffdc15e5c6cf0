package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.JobSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value syntaxes of the options sbatch maps into a job, with Slurm's error texts. */
class SbatchOptionValuesTest extends SbatchFixture {

    /** The job's environment without what sbatch always adds: where it was run, its script, --export as given. */
    private static Map<String, String> exported(JobSpec spec) {
        Map<String, String> env = new HashMap<>(spec.environment());
        assertEquals(CWD, env.remove("SLURM_SUBMIT_DIR"));
        env.remove(SbatchCommandLine.SCRIPT_PATH_VARIABLE);
        env.remove("SLURM_EXPORT_ENV");
        return env;
    }

    @Test
    void exportDefaultsToTheWholeEnvironment() throws Exception {
        assertEquals(ENV, exported(spec("--export=ALL", "job.sh")));
        assertEquals(Map.of(), exported(spec("--export=NONE", "job.sh")));
        assertEquals(Map.of(), exported(spec("--export=none", "job.sh")));
        assertEquals("none", spec("--export=none", "job.sh").environment().get("SLURM_EXPORT_ENV"));
        assertNull(spec("--export=ALL", "job.sh").environment().get("SLURM_EXPORT_ENV"));
    }

    @Test
    void exportLists() throws Exception {
        Map<String, String> withAll = new HashMap<>(ENV);
        withAll.put("A", "1");
        assertEquals(withAll, exported(spec("--export=ALL,A=1,B", "job.sh")));
        assertEquals(Map.of("A", "1", "B", "bee"), exported(spec("--export=A=1,B", "job.sh")));
        assertEquals(Map.of("B", "bee", "X", "a=b"), exported(spec("--export=B,MISSING,X=a=b", "job.sh")));
        assertEquals(Map.of("PATH", "/mine"), exported(spec("--export", "PATH=/mine", "job.sh")));
        assertEquals("A=1,B", spec("--export=A=1,B", "job.sh").environment().get("SLURM_EXPORT_ENV"));
    }

    @Test
    void parsableAndRequeueFlags() throws Exception {
        assertTrue(parse("--parsable", "job.sh").parsable());
        assertNotNull(parse("-v", "job.sh").spec());
        assertNull(spec("job.sh").requeue(), "the scheduler's default applies");
        assertEquals(Boolean.TRUE, spec("--requeue", "job.sh").requeue());
        assertNull(spec("--requeue", "job.sh").maxAttempts(), "the scheduler's attempt limit stays");
        assertEquals(Boolean.FALSE, spec("--requeue", "--no-requeue", "job.sh").requeue(), "the last one wins");
        assertEquals(1, spec("--no-requeue", "job.sh").attemptLimit());
        files.put("r.sh", "#!/bin/sh\n#SBATCH --requeue\n");
        assertEquals(Boolean.FALSE, spec("--no-requeue", "r.sh").requeue(), "the command line wins");
        files.put("p.sh", "#!/bin/sh\n#SBATCH --parsable\n");
        assertTrue(parse("p.sh").parsable());
    }

    @Test
    void openMode() throws Exception {
        assertEquals("a", spec("--open-mode=append", "job.sh").environment().get("SLURM_OPEN_MODE"));
        assertEquals("t", spec("--open-mode=truncate", "job.sh").environment().get("SLURM_OPEN_MODE"));
        assertEquals("a", spec("--open-mode=a", "job.sh").environment().get("SLURM_OPEN_MODE"));
        assertNull(spec("job.sh").environment().get("SLURM_OPEN_MODE"));
        assertEquals("Invalid --open-mode specification", error("--open-mode=overwrite", "job.sh"));
    }

    @Test
    void timeValues() throws Exception {
        assertNull(spec("-t", "0", "job.sh").timeLimitSeconds());
        assertNull(spec("-t", "UNLIMITED", "job.sh").timeLimitSeconds());
        assertEquals(183845L, spec("--time=2-03:04:05", "job.sh").timeLimitSeconds());
        assertEquals("Invalid --time specification", error("-t", "abc", "job.sh"));
    }

    @Test
    void nodeCounts() throws Exception {
        assertEquals(2, spec("-N", "2", "job.sh").nodes());
        assertEquals(2, spec("-N", "2-4", "job.sh").nodes());
        assertEquals(1, spec("-N", "-4", "job.sh").nodes());
        assertEquals(2048, spec("-N", "2k", "job.sh").nodes());
        assertEquals("\"abc\" is not a valid node count", error("-N", "abc", "job.sh"));
        assertEquals("\"2x\" is not a valid node count", error("-N", "2-2x", "job.sh"));
        assertEquals("Maximum node count 2 is less than minimum node count 4", error("-N", "4-2", "job.sh"));
        assertEquals("\"0\" is not a valid node count", error("-N", "0", "job.sh"));
    }

    @Test
    void taskAndCpuCounts() throws Exception {
        assertEquals(4, spec("-n", "+4", "job.sh").tasks());
        assertEquals("Invalid numeric value \"abc\" for --ntasks.", error("-n", "abc", "job.sh"));
        assertEquals("Invalid numeric value \"0\" for --ntasks.", error("--ntasks=0", "job.sh"));
        assertEquals("Invalid numeric value \"4x\" for --ntasks.", error("-n4x", "job.sh"));
        assertEquals("Numeric argument (99999999999) to big for --ntasks.", error("-n", "99999999999", "job.sh"));
        assertEquals("Invalid numeric value \"-1\" for --cpus-per-task.", error("-c", "-1", "job.sh"));
        assertEquals("Invalid numeric value \"x\" for --ntasks-per-node.", error("--ntasks-per-node=x", "job.sh"));
        assertEquals(3, spec("--tasks-per-node=3", "job.sh").tasksPerNode());
    }

    @Test
    void memorySizes() throws Exception {
        assertEquals(100L, spec("--mem=100", "job.sh").memoryMb());
        assertEquals(100L, spec("--mem=100M", "job.sh").memoryMb());
        assertEquals(1L, spec("--mem=1024K", "job.sh").memoryMb());
        assertEquals(2L, spec("--mem=1025k", "job.sh").memoryMb());
        assertEquals(1024L, spec("--mem=1G", "job.sh").memoryMb());
        assertEquals(2048L, spec("--mem=2GB", "job.sh").memoryMb());
        assertEquals(1048576L, spec("--mem=1t", "job.sh").memoryMb());
        assertNull(spec("--mem=0", "job.sh").memoryMb(), "all of each node's memory: whole nodes");
        for (String bad : List.of("abc", "1X", "1GiB", "-5", "G", "")) {
            assertEquals("Invalid --mem specification", error("--mem=" + bad, "job.sh"));
        }
    }

    @Test
    void gpusPerTask() throws Exception {
        SbatchRequest request = parse("--gpus-per-task=a100:2", "job.sh");
        assertEquals(2, request.spec().gpusPerTask());
        assertEquals("a100", request.spec().gpuType(), "the type is kept: the head places by it");
        assertEquals(List.of(), request.warnings());
        assertEquals(null, parse("--gpus-per-task=2", "job.sh").spec().gpuType(), "any type");
        assertEquals("Invalid numeric value \"many\" for --gpus-per-task.", error("--gpus-per-task=many", "job.sh"));
    }
}
