package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cadre.cli.wire.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * squeue, sacct, sinfo and scontrol show as users and their tools meet them, each its own process against
 * 'cadre up': the layouts they print, when and where squeue --start and --test-only expect a waiting job to start,
 * and what a dependency still waits on.
 */
class SlurmQueriesSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "2");
    private static CadreProcess cadre;

    @BeforeAll
    static void head() {
        cadre = HEAD.cadre();
    }

    @Test
    void squeueSacctAndSinfoPrintSlurmsLayouts() throws Exception {
        long id = cadre.sbatch("-J", "layout", "--wrap", "sleep 30");
        cadre.awaitState(id, "RUNNING", WAIT);
        String user = System.getProperty("user.name");
        List<String> squeue = cadre.ok("squeue", "-j", "" + id).out().lines().toList();
        assertEquals("             JOBID PARTITION     NAME     USER ST       TIME  NODES NODELIST(REASON)",
                squeue.get(0));
        assertTrue(squeue.get(1).matches(String.format("%18s %9s %8s %8s %2s %10s %6s \\S+", id, "batch", "layout",
                user.length() > 8 ? user.substring(0, 8) : user, "R", "0:\\d\\d", 1).replace("    0:", " +0:")),
                squeue.get(1));
        List<String> sacct = cadre.ok("sacct", "-j", "" + id).out().lines().toList();
        assertEquals(List.of("JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
                "------------ ---------- ---------- ---------- ---------- ---------- -------- ",
                String.format("%-12s %10s %10s %10s %10s %10s %8s ", id, "layout", "batch", "", 1, "RUNNING", "0:0"),
                String.format("%-12s %10s %10s %10s %10s %10s %8s ", id + ".batch", "batch", "", "", 1, "RUNNING",
                        "0:0")), sacct);
        assertTrue(cadre.ok("sinfo").out().matches("PARTITION AVAIL  TIMELIMIT  NODES  STATE NODELIST\n"
                + "batch\\*       up   infinite      1    mix \\S+\n"), cadre.ok("sinfo").out());
        assertEquals("", cadre.ok("scancel", "" + id).out(), "scancel is silent");
        cadre.awaitState(id, "CANCELLED", WAIT);
        // Slurm's "CANCELLED by UID": scancel names the user running it, the job keeps it through the node's
        // confirmation of the kill, and sacct shows that user's uid.
        assertEquals(id + "|CANCELLED by " + CadreProcess.myUid() + "\n" + id + ".batch|CANCELLED\n", cadre.ok("sacct", "-n", "-P",
                "-j", "" + id, "-o", "JobID,State").out());
        assertEquals(id + "\n", cadre.ok("sacct", "-X", "-n", "-P", "-s", "CA", "-j", "" + id, "-o", "JobID").out());
    }

    @Test
    void squeueStartShowsWhenAndWhereTheHeadExpectsWaitingJobsToStart() throws Exception {
        long running = cadre.sbatch("-n", "2", "-t", "10", "--wrap", "sleep 300");
        cadre.awaitState(running, "RUNNING", WAIT);
        long next = cadre.sbatch("-n", "2", "-t", "5", "-J", "next", "--wrap", "true");
        long held = cadre.sbatch("-H", "-J", "held", "--wrap", "true");
        try {
            String host = Json.parse(cadre.restGet("/api/nodes")).path(0).path("hostname").asText();
            Instant started = Json.parse(cadre.restGet("/api/jobs/" + running)).path("startTime").asInstant();
            List<String> lines = cadre.ok("squeue", "--start").out().lines().toList();
            assertEquals("             JOBID PARTITION     NAME     USER ST          START_TIME  NODES SCHEDNODES"
                    + "           NODELIST(REASON)", lines.get(0));
            String[] nextLine = lines.stream().filter(l -> l.trim().startsWith(next + " ")).findFirst().orElseThrow()
                    .trim().split(" +");
            Instant expected = LocalDateTime.parse(nextLine[5]).atZone(ZoneId.systemDefault()).toInstant();
            Instant limit = started.plusSeconds(600);
            assertTrue(!expected.isBefore(limit.minusSeconds(1)) && expected.isBefore(limit.plusSeconds(61))
                    && expected.getEpochSecond() % 60 == 0, "expected when the running job reaches its limit ("
                    + limit + "), at the next whole minute (the resolution's step): " + lines);
            assertEquals(List.of("PD", host, "(Resources)"), List.of(nextLine[4], nextLine[7], nextLine[8]), lines
                    .toString());
            String heldLine = lines.stream().filter(l -> l.trim().startsWith(held + " ")).findFirst().orElseThrow();
            assertTrue(heldLine.matches(" *" + held + " +batch +held +\\S+ +PD +N/A +1 \\(null\\) +\\(JobHeldUser\\)"),
                    heldLine);
            assertEquals(nextLine[5] + " " + host, cadre.ok("squeue", "-h", "-j", "" + next, "-o", "%S %Y").out()
                    .strip(), "%S and %Y ask the head too");
            String shown = cadre.ok("scontrol", "show", "job", "" + next).out();
            assertTrue(shown.contains("\n   StartTime=" + nextLine[5] + " EndTime=" + DateTimeFormatter.ISO_LOCAL_DATE_TIME
                    .format(LocalDateTime.ofInstant(expected.plusSeconds(300), ZoneId.systemDefault())) + " Deadline=N/A\n"), shown);
            assertTrue(shown.contains("\n   NodeList=(null) SchedNodeList=" + host + "\n"), shown);
            CadreProcess.Result trial = cadre.run("sbatch", "--test-only", "-n", "2", "-t", "5", "--wrap", "true");
            assertEquals(List.of(0, ""), List.of(trial.exit(), trial.out()), trial.toString());
            assertEquals("sbatch: Job " + (held + 1) + " to start at " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                    LocalDateTime.ofInstant(expected.plusSeconds(300), ZoneId.systemDefault())) + " using 2 processors"
                    + " on nodes " + host + " in partition batch\n", trial.err(), "behind the job ahead of it");
            CadreProcess.Result srunTrial = cadre.run("srun", "--test-only", "-n", "2", "-t", "5", "true");
            assertEquals(List.of(0, ""), List.of(srunTrial.exit(), srunTrial.out()), srunTrial.toString());
            assertEquals(trial.err().replaceFirst("^sbatch", "srun"), srunTrial.err(), "srun asks alike");
            CadreProcess.Result inJob = cadre.run(Map.of("SLURM_JOB_ID", "" + running, "CADRE_EXEC_SOCKET",
                    "/nonexistent"), "srun", "--test-only", "true");
            assertEquals(List.of(1, "srun: error: --test-only asks when a new job would start; this is a step of job "
                    + running + "\n"), List.of(inJob.exit(), inJob.err()), inJob.toString());
            CadreProcess.Result wide = cadre.run("sbatch", "--test-only", "-N", "3", "--wrap", "true");
            assertEquals(1, wide.exit(), wide.toString());
            assertTrue(wide.err().startsWith("allocation failure: Node count specification invalid\nsbatch: error:"
                    + " spec.nodes: "), wide.err());
            CadreProcess.Result heldTrial = cadre.run("sbatch", "--test-only", "-H", "--wrap", "true");
            assertEquals(List.of(1, "allocation failure: it would be held (user) until released\n"), List.of(
                    heldTrial.exit(), heldTrial.err()), heldTrial.toString());
            assertEquals(1, cadre.run("squeue", "-h", "-j", "" + (held + 1)).exit(), "--test-only stores no job");
            String heldShown = cadre.ok("scontrol", "show", "job", "" + held).out();
            assertTrue(heldShown.contains("\n   StartTime=Unknown EndTime=Unknown Deadline=N/A\n")
                    && heldShown.contains("\n   NodeList=(null)\n"), heldShown);
        } finally {
            cadre.ok("scancel", running + "," + next + "," + held);
        }
        cadre.awaitState(running, "CANCELLED", WAIT);
    }

    @Test
    void scontrolAndSqueueShowWhatADependencyStillWaitsOn() throws Exception {
        long failed = cadre.sbatch("--wrap", "false");
        cadre.awaitState(failed, "FAILED", WAIT);
        long held = cadre.sbatch("-H", "--wrap", "true");
        // One term can never hold, the other still may: the job waits.
        long waiting = cadre.sbatch("-d", "afterok:" + failed + "?afterany:" + held, "--wrap", "true");
        try {
            String left = "afterok:" + failed + "(failed)?afterany:" + held + "(unfulfilled)";
            assertEquals(left + "\n", cadre.ok("squeue", "-h", "-j", "" + waiting, "-o", "%E").out());
            String shown = cadre.ok("scontrol", "show", "job", "" + waiting).out();
            assertTrue(shown.contains(" Dependency=" + left + "\n"), shown);
            assertEquals("(null)\n", cadre.ok("squeue", "-h", "-j", "" + held, "-o", "%E").out());
        } finally {
            cadre.ok("scancel", held + "," + waiting);
        }
    }
}
