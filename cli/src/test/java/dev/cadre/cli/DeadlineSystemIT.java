package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sbatch --deadline against 'cadre up' with one core: a deadline the time limit cannot meet is refused in Slurm's
 * words; a job waiting behind a long one on the full node is ended DEADLINE, reason DeadLine, once its time limit
 * from now would run past its deadline, and sacct, squeue and scontrol show it so.
 */
class DeadlineSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "1");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void aJobThatCanNoLongerEndByItsDeadlineEndsDeadline() throws Exception {
        String blocker = cadre.ok("sbatch", "--parsable", "-t", "10", "--wrap", "sleep 600").out().trim();
        cadre.awaitState(Long.parseLong(blocker), "RUNNING", WAIT);

        CadreProcess.Result refused = cadre.run("sbatch", "--deadline=now+30", "-t", "1", "--wrap", "true");
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(refused.err().startsWith("sbatch: error: Batch job submission failed: Requested time limit is"
                + " invalid (missing or exceeds some limit)\nsbatch: error: spec.deadline: "), refused.err());

        // Accepted: its minute ends 3 s before the deadline; behind the blocker it can no longer do so 3 s on.
        String late = cadre.ok("sbatch", "--parsable", "--deadline=now+63", "-t", "1", "--wrap", "true").out()
                .trim();
        cadre.awaitState(Long.parseLong(late), "DEADLINE", WAIT);

        assertEquals("DEADLINE|DeadLine", cadre.ok("sacct", "-X", "-n", "-P", "-j", late, "-o", "State,Reason")
                .out().trim());
        assertEquals(late + " DL (DeadLine)", cadre.ok("squeue", "-h", "-t", "DL", "-o", "%i %t %R").out().trim());
        String shown = cadre.ok("scontrol", "show", "job", late).out();
        assertTrue(shown.contains("JobState=DEADLINE Reason=DeadLine"), shown);
        assertTrue(shown.matches("(?s).* Deadline=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\n.*"), shown);
        assertEquals("RUNNING", cadre.ok("squeue", "-h", "-j", blocker, "-o", "%T").out().trim(),
                "the running job goes on");
        cadre.ok("scancel", blocker);
    }
}
