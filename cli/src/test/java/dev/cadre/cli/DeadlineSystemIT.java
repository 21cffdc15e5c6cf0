package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sbatch --deadline against 'cadre up' with one core: a deadline the time limit cannot meet is refused in Slurm's
 * words; a job waiting behind a long one on the full node is ended DEADLINE, reason DeadLine, once its time limit
 * from now would run past its deadline, and sacct, squeue and scontrol show it so. scontrol update Deadline= gives a
 * pending job a new deadline, kept across a restart of the head, refuses one that has passed, and ends the job
 * DEADLINE when its time limit can no longer meet the new one.
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
        CadreProcess.Result fromBegin = cadre.run("sbatch", "--begin=now+1hour", "--deadline=now+90minutes", "-t",
                "60", "--wrap", "true");
        assertEquals(1, fromBegin.exit(), "an hour from its begin time runs past the deadline: " + fromBegin);
        assertTrue(fromBegin.err().startsWith("sbatch: error: Batch job submission failed: Requested time limit is"
                + " invalid (missing or exceeds some limit)\n"), fromBegin.err());

        // Accepted: its minute ends 3 s before the deadline; behind the blocker it can no longer do so 3 s on.
        String late = cadre.ok("sbatch", "--parsable", "--deadline=now+63", "-t", "1", "--wrap", "true").out()
                .trim();
        cadre.awaitState(Long.parseLong(late), "DEADLINE", WAIT);

        assertEquals("DEADLINE|DeadLine", cadre.ok("sacct", "-X", "-n", "-P", "-j", late, "-o", "State,Reason")
                .out().trim());
        assertEquals(late + " DL (DeadLine)", cadre.ok("squeue", "-h", "-t", "DL", "-j", late, "-o", "%i %t %R")
                .out().trim());
        String shown = cadre.ok("scontrol", "show", "job", late).out();
        assertTrue(shown.contains("JobState=DEADLINE Reason=DeadLine"), shown);
        assertTrue(shown.matches("(?s).* Deadline=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\n.*"), shown);
        assertEquals("RUNNING", cadre.ok("squeue", "-h", "-j", blocker, "-o", "%T").out().trim(),
                "the running job goes on");
        cadre.ok("scancel", blocker);
    }

    @Test
    void scontrolUpdateGivesAPendingJobANewDeadlineThatARestartKeeps() throws Exception {
        String held = cadre.ok("sbatch", "--parsable", "-H", "-t", "1", "--wrap", "true").out().trim();
        assertEquals("N/A", cadre.ok("squeue", "-h", "-j", held, "-O", "deadline").out().trim());

        cadre.ok("scontrol", "update", "JobId=" + held, "Deadline=now+2hours");
        String deadline = shownDeadline(held);
        LocalDateTime at = LocalDateTime.parse(deadline);
        LocalDateTime expected = LocalDateTime.now().plusHours(2);
        assertTrue(Math.abs(Duration.between(at, expected).toSeconds()) < 120, deadline + " is in two hours");
        assertEquals(deadline + "|" + held, cadre.ok("squeue", "-h", "-j", held, "-O", "deadline:25|,jobid")
                .out().strip().replaceAll(" +\\|", "|"));

        CadreProcess.Result passed = cadre.run("scontrol", "update", "JobId=" + held, "Deadline=2020-01-01T00:00");
        assertEquals(1, passed.exit(), passed.toString());
        assertTrue(passed.err().startsWith("slurm_update error: Invalid time specified for job " + held + "\n"),
                passed.err());
        assertEquals(deadline, shownDeadline(held), "a refused update changes nothing");

        cadre.stop();
        cadre.up("--cores", "1");
        assertEquals(deadline, shownDeadline(held), "the new deadline is in the stored spec");

        cadre.ok("scontrol", "update", "JobId=" + held, "Deadline=now+30");
        cadre.awaitState(Long.parseLong(held), "DEADLINE", WAIT);
    }

    private static String shownDeadline(String job) throws Exception {
        String shown = cadre.ok("scontrol", "show", "job", job).out();
        int at = shown.indexOf(" Deadline=");
        assertTrue(at >= 0, shown);
        return shown.substring(at + " Deadline=".length()).split("\\s", 2)[0];
    }
}
