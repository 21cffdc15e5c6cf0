package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scontrol suspend and resume against 'cadre up', through bin/scontrol, squeue, sacct and scancel: a counting job
 * stops counting while SUSPENDED (squeue -t S, JobState=SUSPENDED with its SuspendTime), goes on once resumed, and
 * sacct shows the time it spent so as Suspended, left out of Elapsed; scancel -t SUSPENDED ends a suspended job.
 * Refusals are Slurm's words, and only an operator may suspend. A suspended job gives its cores to other jobs, as
 * Slurm's does: a job of 2 tasks, suspended, leaves the node idle in sinfo and scontrol show node; a pending job of 2
 * tasks starts on those cores; the suspended job is resumed while it runs, both hold the cores (the node ALLOCATED,
 * CPUAlloc counting each core once, AllocMem the memory of both, the suspended one's too) and both complete. AllocTRES
 * follows as slurmctld's select plugin makes it: a suspended job's cores are taken off the node (rm_job_res's action
 * 2, "only subtract cores") and its memory stays, so its only job suspended, the node shows mem= and no cpu=.
 */
class SuspendSystemIT {
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

    private static CadreProcess.Result asUser(String... args) {
        return cadre.scontrolAsUser(args);
    }

    private static long count(Path counter) {
        String text = CadreProcess.read(counter).trim();
        return text.isEmpty() ? -1 : Long.parseLong(text);
    }

    /** A job counting in a file of its own until cancelled; once its node has confirmed it runs. */
    private static long counting(String name) throws Exception {
        Path counter = cadre.workDir.resolve(name);
        long id = cadre.sbatch("--wrap", "n=0; while true; do n=$((n+1)); echo $n > " + name + ".new; mv " + name
                + ".new " + name + "; sleep 0.1; done");
        CadreProcess.await("job " + id + " to count", WAIT, () -> count(counter) > 2);
        return id;
    }

    private static String shownJob(long id) throws Exception {
        return cadre.ok("scontrol", "show", "job", "" + id).out();
    }

    @Test
    void aSuspendedJobStopsUntilResumedAndSacctShowsTheTimeItSpentSuspended() throws Exception {
        Path counter = cadre.workDir.resolve("counter-a");
        long id = counting("counter-a");

        assertEquals("", cadre.ok("scontrol", "suspend", "" + id).out());

        assertEquals(id + " S\n", cadre.ok("squeue", "-h", "-t", "S", "-o", "%i %t").out());
        assertEquals(id + " SUSPENDED\n", cadre.ok("squeue", "-h", "-t", "SUSPENDED", "-o", "%i %T").out());
        assertTrue(cadre.ok("squeue", "-h", "-o", "%i %t").out().contains(id + " S\n"), "listed by default");
        String shown = shownJob(id);
        assertTrue(shown.contains("JobState=SUSPENDED "), shown);
        assertTrue(!shown.contains("SuspendTime=None"), shown);
        long stopped = count(counter);
        Instant until = Instant.now().plusSeconds(3);
        CadreProcess.await("three seconds", WAIT, () -> Instant.now().isAfter(until) || count(counter) > stopped + 1);
        assertTrue(count(counter) <= stopped + 1, "it counted on while suspended: " + stopped + " -> "
                + count(counter));
        assertEquals("", cadre.ok("scontrol", "resume", "" + id).out());
        assertEquals(new CadreProcess.Result(1, "", "Job is not suspended for job " + id + "\n"),
                cadre.run("scontrol", "resume", "" + id));
        long resumedAt = count(counter);
        CadreProcess.await("job " + id + " to count again", WAIT, () -> count(counter) > resumedAt + 3);
        assertTrue(shownJob(id).contains("JobState=RUNNING "));

        assertEquals("", cadre.ok("scancel", "" + id).out());
        cadre.awaitState(id, "CANCELLED", WAIT);
        String[] times = cadre.ok("sacct", "-X", "-n", "-P", "-j", "" + id, "--format", "Suspended,ElapsedRaw")
                .out().trim().split("\\|");
        String[] hms = times[0].split(":");
        long suspended = Long.parseLong(hms[0]) * 3600 + Long.parseLong(hms[1]) * 60 + Long.parseLong(hms[2]);
        assertTrue(suspended >= 3, "Suspended " + times[0]);
        assertTrue(Long.parseLong(times[1]) >= 0, "ElapsedRaw " + times[1]);
    }

    @Test
    void scancelOfSuspendedJobsEndsThemAndRefusalsAreSlurms() throws Exception {
        long id = counting("counter-b");
        long held = cadre.sbatch("-H", "--wrap", "true");

        CadreProcess.Result denied = asUser("suspend", "" + id);
        assertEquals(new CadreProcess.Result(1, "", "Access/permission denied for job " + id + "\n"), denied);
        assertEquals(new CadreProcess.Result(1, "", "Job is pending execution for job " + held + "\n"),
                cadre.run("scontrol", "suspend", "" + held));
        assertEquals(new CadreProcess.Result(1, "", "Invalid job id specified for job 999999\n"),
                cadre.run("scontrol", "suspend", "999999"));

        assertEquals("", cadre.ok("scontrol", "suspend", "JobId=" + id).out());
        assertEquals("", cadre.ok("scancel", "-t", "SUSPENDED", "" + id, "" + held).out());
        cadre.awaitState(id, "CANCELLED", WAIT);
        assertNotEquals("CANCELLED", cadre.state(held), "scancel -t SUSPENDED leaves the pending job");
        assertEquals(new CadreProcess.Result(1, "", "Job/step already completing or completed for job " + id
                + "\n"), cadre.run("scontrol", "resume", "" + id));
        cadre.ok("scancel", "" + held);
    }

    /** A job of 2 tasks and 100 MB that says it started, then waits for its go file, then writes its result. */
    private static long waiting(String name) throws Exception {
        return cadre.sbatch("-n", "2", "--mem=100", "--wrap", "touch " + name + ".started; while [ ! -e " + name
                + ".go ]; do sleep 0.1; done; echo " + name + " done > " + name + ".out");
    }

    private static void awaitFile(String name) throws InterruptedException {
        Path p = cadre.workDir.resolve(name);
        CadreProcess.await(name + " to exist", WAIT, () -> Files.exists(p));
    }

    private static String nodeState() throws Exception {
        return cadre.ok("sinfo", "-h", "-o", "%t").out().trim();
    }

    /** KEY=VALUE as scontrol show node prints it, up to the next blank or line end. */
    private static String shownNode(String key) throws Exception {
        String shown = cadre.ok("scontrol", "show", "node").out();
        int at = shown.indexOf(key + "=");
        int end = at;
        while (end < shown.length() && !Character.isWhitespace(shown.charAt(end))) {
            end++;
        }
        return shown.substring(at, end);
    }

    @Test
    void aPendingJobStartsOnASuspendedJobsCoresAndBothCompleteOnceItIsResumed() throws Exception {
        long first = waiting("first");
        awaitFile("first.started");
        // The suspend is refused until the node has confirmed the start, which may come after the script's first line.
        CadreProcess.await("job " + first + " to be suspended", WAIT, () -> {
            try {
                return cadre.run("scontrol", "suspend", "" + first).exit() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals("idle", nodeState(), "its only job is suspended: no CPUs allocated, as slurmctld makes it IDLE");
        assertEquals("CPUAlloc=0", shownNode("CPUAlloc"));
        assertEquals("AllocMem=100", shownNode("AllocMem"), "it keeps its memory");
        assertEquals("AllocTRES=mem=100M", shownNode("AllocTRES"), "its memory, not its cores");

        long second = waiting("second");
        cadre.awaitState(second, "RUNNING", WAIT);
        awaitFile("second.started");
        assertEquals("SUSPENDED", cadre.state(first));
        assertEquals("alloc", nodeState());

        assertEquals("", cadre.ok("scontrol", "resume", "" + first).out(), "a resume is never refused for its cores");
        assertEquals(first + " R\n" + second + " R\n", cadre.ok("squeue", "-h", "-S", "i", "-o", "%i %t").out());
        assertEquals("CPUAlloc=2", shownNode("CPUAlloc"), "each core counted once, however many jobs hold it");
        assertEquals("AllocMem=200", shownNode("AllocMem"));
        assertEquals("AllocTRES=cpu=2,mem=200M", shownNode("AllocTRES"), "the cores once, the memory of both");
        assertEquals("alloc", nodeState());

        Files.writeString(cadre.workDir.resolve("second.go"), "");
        cadre.awaitState(second, "COMPLETED", WAIT);
        Files.writeString(cadre.workDir.resolve("first.go"), "");
        cadre.awaitState(first, "COMPLETED", WAIT);
        assertEquals("first done\n", CadreProcess.read(cadre.workDir.resolve("first.out")));
        assertEquals("second done\n", CadreProcess.read(cadre.workDir.resolve("second.out")));
        assertEquals("idle", nodeState());
        assertEquals("AllocTRES=", shownNode("AllocTRES"), "nothing allocated");
    }
}
