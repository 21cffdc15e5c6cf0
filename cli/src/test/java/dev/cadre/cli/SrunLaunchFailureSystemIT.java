package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun outside a job, and sbatch --wait, when the job they submitted cannot start: a working directory that does not
 * exist (or that the user cannot write, where the job's output goes). The job ends FAILED without an exit code; both
 * exit 1, and srun says why, so that {@code srun ... && next} does not go on.
 */
class SrunLaunchFailureSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "1");

    @Test
    void srunWhoseJobCannotStartSaysWhyAndExitsOne() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        String missing = cadre.workDir.resolve("no/such/dir").toString();
        CadreProcess.Result r = cadre.run("srun", "-D", missing, "-n", "1", "hostname");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("srun: error: Application launch failed: ") && r.err().contains(missing)
                && r.err().endsWith("\n") && r.err().lines().count() == 1, r.err());

        CadreProcess.Result waited = cadre.run("sbatch", "-W", "-D", missing, "--wrap", "true");
        assertEquals(1, waited.exit(), "sbatch --wait follows the same rule: " + waited);
        long id = Long.parseLong(waited.out().trim().replace("Submitted batch job ", ""));
        cadre.awaitState(id, "FAILED", WAIT);
    }
}
