package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scontrol update TimeLimit= on running jobs against 'cadre up': the head stores the new limit and its node enforces
 * it, a job outliving the limit it started with, another ending TIMEOUT at once when its limit is cut below what it
 * has run. A user may lower a limit and not raise it, as in Slurm.
 */
class RunningTimeLimitSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    static Path base;
    private static CadreProcess cadre;

    @BeforeAll
    static void up() throws Exception {
        (cadre = new CadreProcess(base)).up("--cores", "2");
    }

    @AfterAll
    static void down() throws Exception {
        cadre.stop();
    }

    private static String limitShown(long id) throws Exception {
        String shown = cadre.ok("scontrol", "show", "job", "" + id).out();
        int at = shown.indexOf(" TimeLimit=");
        return shown.substring(at + 1, shown.indexOf(' ', at + 1));
    }

    private static CadreProcess.Result asUser(String... args) {
        return cadre.scontrolAsUser(args);
    }

    @Test
    void aRunningJobGivenMoreTimeOutlivesTheLimitItStartedWith() throws Exception {
        // 15 s for the sacct polls and the scontrol (a JVM each) to raise the limit on a loaded machine.
        long id = cadre.sbatch("-t", "0:15", "--wrap", "sleep 19; echo outlived its first limit");
        cadre.awaitState(id, "RUNNING", WAIT);

        assertEquals("", cadre.ok("scontrol", "update", "JobId=" + id, "TimeLimit+=1").out());

        assertEquals("TimeLimit=00:01:15", limitShown(id));
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("outlived its first limit\n", Files.readString(cadre.workDir.resolve("slurm-" + id + ".out")));
    }

    @Test
    void aUserMayOnlyLowerTheLimitAndOneCutBelowTheRunTimeEndsTheJobAsTimeout() throws Exception {
        long id = cadre.sbatch("-t", "5", "--wrap", "sleep 300");
        cadre.awaitState(id, "RUNNING", WAIT);

        for (String raise : List.of("TimeLimit+=5", "TimeLimit=10:00")) {
            CadreProcess.Result refused = asUser("update", "JobId=" + id, raise);
            assertEquals(1, refused.exit(), raise);
            assertTrue(refused.err().startsWith("slurm_update error: Access/permission denied\n"), refused.err());
        }
        assertEquals("TimeLimit=00:05:00", limitShown(id));
        assertEquals(new CadreProcess.Result(0, "", ""), asUser("update", "JobId=" + id, "TimeLimit-=3"));
        assertEquals("TimeLimit=00:02:00", limitShown(id));

        assertEquals("", cadre.ok("scontrol", "update", "JobId=" + id, "TimeLimit=0:01").out());

        cadre.awaitState(id, "TIMEOUT", WAIT);
        assertEquals(new CadreProcess.Result(1, "", "Job has already finished for job " + id + "\n"),
                cadre.run("scontrol", "update", "JobId=" + id, "TimeLimit=10"));
    }
}
