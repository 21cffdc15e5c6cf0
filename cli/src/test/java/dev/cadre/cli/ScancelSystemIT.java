package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * scancel, its own process against 'cadre up': a signal to the batch script, and the filters that pick
 * among the jobs.
 */
class ScancelSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void scancelSignalReachesTheBatchScript() throws Exception {
        long id = cadre.sbatch("-o", "sig-%j.out", "--wrap",
                "trap 'echo got USR1; exit 0' USR1; echo ready; while true; do sleep 0.2; done");
        Path out = cadre.workDir.resolve("sig-" + id + ".out");
        CadreProcess.await("the script to set its trap", WAIT, () -> CadreProcess.read(out).contains("ready"));
        assertEquals(new CadreProcess.Result(0, "", ""), cadre.run("scancel", "--signal=USR1", "-b", "" + id));
        cadre.awaitState(id, "COMPLETED", WAIT);
        assertEquals("ready\ngot USR1\n", CadreProcess.read(out));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Kill job error on job id " + id
                + ": Job/step already completing or completed\n"), cadre.run("scancel", "-s", "USR1", "" + id));
        assertEquals(new CadreProcess.Result(1, "", "scancel: error: Invalid job signal: NOPE\n"),
                cadre.run("scancel", "-s", "NOPE", "" + id));
    }

    @Test
    void scancelFiltersPickAmongTheJobs() throws Exception {
        long running = cadre.sbatch("-J", "keep", "-c", "2", "--wrap", "sleep 60");
        cadre.awaitState(running, "RUNNING", WAIT);
        long waiting = cadre.sbatch("-J", "drop", "--wrap", "sleep 60");
        long other = cadre.sbatch("-J", "other", "--wrap", "sleep 60");
        assertEquals("", cadre.ok("scancel", "-t", "PENDING", "-n", "drop").out());
        cadre.awaitState(waiting, "CANCELLED", WAIT);
        assertEquals("PENDING", cadre.state(other));
        assertEquals("RUNNING", cadre.state(running));
        assertEquals("", cadre.ok("scancel", "--me").out());
        cadre.awaitState(running, "CANCELLED", WAIT);
        cadre.awaitState(other, "CANCELLED", WAIT);
    }
}
