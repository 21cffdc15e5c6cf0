package dev.cadre.cli.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.protocol.HostList;
import dev.cadre.protocol.JobSpec;
import dev.cadre.protocol.JobSpecValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How sbatch words and #SBATCH lines become a job's name, resources, host lists and environment. */
class SbatchCommandLineTest extends SbatchFixture {

    @Test
    void plainScriptGetsSlurmDefaults() throws Exception {
        SbatchRequest request = parse("job.sh");
        JobSpec spec = request.spec();
        assertEquals("job.sh", spec.name());
        assertEquals("alice", spec.user());
        assertEquals("login1", spec.submitHost());
        assertEquals(PLAIN, spec.script());
        assertEquals(List.of(), spec.args());
        assertEquals(CWD, spec.workDir());
        assertEquals(JobSpec.KIND_EXEC, spec.kind());
        Map<String, String> env = new HashMap<>(ENV);
        env.put("SLURM_SUBMIT_DIR", CWD);
        env.put(SbatchCommandLine.SCRIPT_PATH_VARIABLE, CWD + "/job.sh");
        assertEquals(env, spec.environment());
        assertNull(spec.stdout());
        assertNull(spec.stderr());
        assertNull(spec.stdin());
        assertNull(spec.timeLimitSeconds());
        assertNull(spec.nodes());
        assertNull(spec.tasks());
        assertNull(spec.memoryMb());
        assertNull(spec.maxAttempts());
        assertFalse(request.parsable());
        assertEquals(List.of(), request.warnings());
    }

    @Test
    void nameIsTheScriptsBaseName() throws Exception {
        files.put("/opt/jobs/run.sh", PLAIN);
        assertEquals("run.sh", spec("/opt/jobs/run.sh").name());
    }

    @Test
    void wordsAfterTheScriptAreScriptArguments() throws Exception {
        JobSpec spec = spec("-N", "1", "job.sh", "-N", "3", "--array=1-4", "x");
        assertEquals(List.of("-N", "3", "--array=1-4", "x"), spec.args());
        assertEquals(1, spec.nodes());
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        files.put("-weird.sh", PLAIN);
        assertEquals("-weird.sh", spec("--", "-weird.sh").name());
    }

    @Test
    void mapsEveryJobOption() throws Exception {
        JobSpec spec = spec("-J", "big", "-t", "00:20:00", "-N", "2-4", "-n", "8", "-c", "2",
                "--ntasks-per-node=4", "--mem=2G", "--gpus-per-task=1", "-o", "out-%j.txt", "-e", "/abs/err",
                "-i", "in.txt", "-D", "sub", "job.sh");
        assertEquals("big", spec.name());
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals(2, spec.nodes());
        assertEquals(8, spec.tasks());
        assertEquals(2, spec.cpusPerTask());
        assertEquals(4, spec.tasksPerNode());
        assertEquals(2048L, spec.memoryMb());
        assertEquals(1, spec.gpusPerTask());
        assertEquals(CWD + "/sub", spec.workDir());
        assertEquals(CWD + "/sub/out-%j.txt", spec.stdout());
        assertEquals("/abs/err", spec.stderr());
        assertEquals(CWD + "/sub/in.txt", spec.stdin());
    }

    @Test
    void longOptionsTakeTheirValueEitherWay() throws Exception {
        JobSpec spec = spec("--job-name", "a", "--time=5", "--nodes=3", "--ntasks", "6", "--cpus-per-task=2",
                "--output=o", "--error", "e", "--input=i", "--chdir=/tmp", "job.sh");
        assertEquals("a", spec.name());
        assertEquals(300L, spec.timeLimitSeconds());
        assertEquals(3, spec.nodes());
        assertEquals(6, spec.tasks());
        assertEquals(2, spec.cpusPerTask());
        assertEquals("/tmp", spec.workDir());
        assertEquals("/tmp/o", spec.stdout());
        assertEquals("/tmp/e", spec.stderr());
        assertEquals("/tmp/i", spec.stdin());
    }

    @Test
    void shortOptionsTakeAttachedValuesAndCluster() throws Exception {
        JobSpec spec = spec("-t00:20:00", "-Jname", "-N2", "-vc4", "job.sh");
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals("name", spec.name());
        assertEquals(2, spec.nodes());
        assertEquals(4, spec.cpusPerTask());
    }

    @Test
    void aValueMayLookLikeAnOption() throws Exception {
        assertEquals("-x", spec("-J", "-x", "job.sh").name());
        assertEquals("--y", spec("--job-name", "--y", "job.sh").name());
    }

    @Test
    void theCommandLineOverridesTheScript() throws Exception {
        JobSpec spec = withScript("#SBATCH -J fromscript\n#SBATCH -t 5\n#SBATCH -N 2 --mem=1G\n", "-J", "cli",
                "--mem=3G", "s.sh");
        assertEquals("cli", spec.name());
        assertEquals(300L, spec.timeLimitSeconds());
        assertEquals(2, spec.nodes());
        assertEquals(3072L, spec.memoryMb());
    }

    @Test
    void exportedShellFunctionsAndOddNamesTravelAsTheyAreAndTheHeadTakesThem() throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "BASH_FUNC_module%%", "() {  eval \"$(lmod bash)\"\n}",
                "BASH_FUNC_which%%", "() {  ( alias; declare -f ) | /usr/bin/which \"$@\"\n}", "A-B", "1");
        for (String export : List.of("ALL", "ALL,X=1", "BASH_FUNC_module%%,A-B")) {
            JobSpec spec = SbatchCommandLine.parse(List.of("--export=" + export, "job.sh"), files::get, env, CWD,
                    "alice", "login1", CLOCK).spec();
            assertEquals("1", spec.environment().get("A-B"), export);
            assertEquals(env.get("BASH_FUNC_module%%"), spec.environment().get("BASH_FUNC_module%%"), export);
            assertEquals(List.of(), JobSpecValidator.validate(spec), export);
        }
    }

    @Test
    void hostListsAndExclusiveGoIntoTheSpec() throws Exception {
        JobSpec spec = parse("-w", "n[1-3],gpu07", "--exclude=n9", "--exclusive", "job.sh").spec();
        assertEquals(List.of("n1", "n2", "n3", "gpu07"), spec.nodelist());
        assertEquals(List.of("n9"), spec.exclude());
        assertEquals(Boolean.TRUE, spec.exclusive());
        assertEquals(Boolean.TRUE, parse("--exclusive=user", "job.sh").spec().exclusive());
        assertEquals("--nodelist=n[3-1]: " + errorOfHostList("n[3-1]"), error("--nodelist=n[3-1]", "job.sh"));
        assertTrue(error("-w", "/etc/hosts.txt", "job.sh").contains("reading host names from a file"));
    }

    private static String errorOfHostList(String expression) {
        try {
            HostList.expand(expression);
            return "accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void longOptionsTakeUnambiguousPrefixesAsGetoptDoes() throws Exception {
        JobSpec spec = spec("--dep=afterok:1", "--job=short", "--time", "20", "--ntasks-per-n", "2", "job.sh");
        assertEquals("afterok:1", spec.dependency());
        assertEquals("short", spec.name());
        assertEquals(1200L, spec.timeLimitSeconds());
        assertEquals(2, spec.tasksPerNode());
        files.put("p.sh", "#!/bin/sh\n#SBATCH --dep=afterany:3\ntrue\n");
        assertEquals("afterany:3", spec("p.sh").dependency());
    }
}
