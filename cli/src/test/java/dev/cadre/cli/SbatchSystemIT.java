package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sbatch as users meet it, its own process against 'cadre up': a script that is not UTF-8, a script on standard
 * input, and --wait's exit codes.
 */
class SbatchSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void aScriptThatIsNotUtf8RunsReadAsLatin1() throws Exception {
        Path script = cadre.workDir.resolve("latin1.sh");
        Files.write(script, "#!/bin/sh\n# M\u00fcller\n#SBATCH -o latin1-%j.out\necho gr\u00fc\u00df\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        CadreProcess.Result r = cadre.run("sbatch", script.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("sbatch: warning: " + script + " is not UTF-8 text; read as ISO-8859-1 (Latin-1), its non-ASCII"
                + " characters reach the job as UTF-8\n", r.err());
        long id = Long.parseLong(r.out().replace("Submitted batch job ", "").trim());
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("gr\u00fc\u00df\n", Files.readString(cadre.workDir.resolve("latin1-" + id + ".out")));
    }

    @Test
    void sbatchWaitExitsWithTheJobsExitCodeAndAScriptMayComeOnStandardInput() throws Exception {
        CadreProcess.Result failed = cadre.run("sbatch", "-W", "--wrap", "exit 3");
        assertEquals(3, failed.exit(), failed.toString());
        assertTrue(failed.out().matches("Submitted batch job \\d+\n"), failed.out());
        CadreProcess.Result array = cadre.run("sbatch", "--wait", "--parsable", "-a", "0-2", "--wrap",
                "exit $SLURM_ARRAY_TASK_ID");
        assertEquals(2, array.exit(), "the highest of the tasks' exit codes: " + array);
        CadreProcess.Result piped = cadre.runWithInput("#!/bin/sh\n#SBATCH -o stdin-%j.out\necho read from stdin\n",
                "sbatch", "-W", "-Q", "-q", "elsewhere");
        assertEquals(0, piped.exit(), piped.toString());
        assertEquals("", piped.err(), "-Q leaves out the warning that -q is ignored");
        long id = Long.parseLong(piped.out().replace("Submitted batch job ", "").trim());
        assertEquals("read from stdin\n", Files.readString(cadre.workDir.resolve("stdin-" + id + ".out")),
                "the job had ended when sbatch -W did");
        assertEquals("sbatch", cadre.ok("sacct", "-X", "-n", "-P", "-j", "" + id, "-o", "JobName").out().trim());
    }

    @Test
    void sbatchWaitForAJobCancelledBeforeItRanExitsOne() throws Exception {
        Path log = cadre.workDir.getParent().resolve("sbatch-wait.log");
        Process waiting = cadre.startClient(log, "sbatch", "-W", "-H", "--wrap", "true");
        CadreProcess.await("sbatch to submit", WAIT, () -> CadreProcess.read(log).startsWith("Submitted batch job "));
        String id = CadreProcess.read(log).trim().replace("Submitted batch job ", "");
        assertEquals("", cadre.ok("scancel", id).out());
        assertTrue(waiting.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "sbatch -W ends with its job");
        assertEquals(1, waiting.exitValue(), "Slurm would say 0, as if the job had run: " + CadreProcess.read(log));
    }
}
