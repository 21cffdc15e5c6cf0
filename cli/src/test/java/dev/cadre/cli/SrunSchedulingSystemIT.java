package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * srun outside a job and salloc with Slurm's scheduling options: a held srun waits until released, one with a
 * dependency runs after it and gives up when it can never be satisfied, -I gives up on a busy head (its job
 * cancelled) with Slurm's words and exit code, and a bad --begin is refused before anything is submitted.
 */
class SrunSchedulingSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern QUEUED = Pattern.compile("srun: job (\\d+) queued and waiting for resources");
    @RegisterExtension
    static final UpHead HEAD = new UpHead("--cores", "1");

    /** The id srun said its job waits under, once it has said so. */
    private static long queuedJob(Path log) throws Exception {
        CadreProcess.await("srun to say its job waits", WAIT, () -> QUEUED.matcher(CadreProcess.read(log)).find());
        Matcher m = QUEUED.matcher(CadreProcess.read(log));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private static void awaitEnd(Process p, Path log) throws Exception {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ends: " + CadreProcess.read(log));
    }

    @Test
    void aHeldSrunWaitsUntilReleasedThenRuns() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        Path log = cadre.workDir.getParent().resolve("held-srun.log");
        Process srun = cadre.startClient(log, "srun", "-H", "echo", "ran-after-release");
        long id = queuedJob(log);
        assertEquals("PENDING", cadre.state(id));
        assertTrue(srun.isAlive(), CadreProcess.read(log));
        cadre.ok("scontrol", "release", "" + id);
        awaitEnd(srun, log);
        assertEquals(0, srun.exitValue(), CadreProcess.read(log));
        assertTrue(CadreProcess.read(log).contains("srun: job " + id + " has been allocated resources\n"),
                CadreProcess.read(log));
        assertTrue(CadreProcess.read(log).endsWith("ran-after-release\n"), CadreProcess.read(log));
    }

    @Test
    void aDependencyIsWaitedForAndOneThatCanNeverHoldEndsTheWait() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        long first = cadre.sbatch("-H", "--wrap", "true");
        Path log = cadre.workDir.getParent().resolve("dependent-srun.log");
        Process srun = cadre.startClient(log, "srun", "--dependency=afterok:" + first, "echo", "after-first");
        long id = queuedJob(log);
        assertEquals("PENDING", cadre.state(id));
        cadre.ok("scontrol", "release", "" + first);
        awaitEnd(srun, log);
        assertEquals(0, srun.exitValue(), CadreProcess.read(log));
        assertTrue(CadreProcess.read(log).endsWith("after-first\n"), CadreProcess.read(log));
        assertEquals("COMPLETED", cadre.state(first));

        long failed = cadre.sbatch("--wrap", "exit 3");
        cadre.awaitState(failed, "FAILED", WAIT);
        CadreProcess.Result never = cadre.run("srun", "-d", "afterok:" + failed, "echo", "never");
        assertEquals(1, never.exit(), never.toString());
        assertEquals("", never.out());
        List<String> lines = never.err().lines().toList();
        assertEquals("srun: error: Unable to allocate resources: Job dependency problem", lines.get(0), never.err());
        assertTrue(lines.get(1).matches("srun: error: job \\d+ cancelled: its dependency can never be satisfied"
                + " \\(DependencyNeverSatisfied\\)"), never.err());
        // Kept pending by its own choice, as the head could keep it: salloc gives up all the same, and cancels it.
        CadreProcess.Result kept = cadre.run("salloc", "--kill-on-invalid-dep=no", "-d", "afterok:" + failed,
                "-J", "kept", "echo", "never");
        assertEquals(1, kept.exit(), kept.toString());
        assertEquals("", kept.out());
        assertTrue(kept.err().contains("salloc: error: Job submit/allocate failed: Job dependency problem\n"),
                kept.err());
        String keptId = cadre.ok("sacct", "-X", "-n", "-P", "--name", "kept", "-o", "JobID").out().trim();
        cadre.awaitState(Long.parseLong(keptId), "CANCELLED", WAIT);
    }

    @Test
    void immediateGivesUpOnABusyHeadWithSlurmsWordsAndExitCode() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        long busy = cadre.sbatch("--wrap", "sleep 120");
        try {
            cadre.awaitState(busy, "RUNNING", WAIT);
            CadreProcess.Result r = cadre.run("srun", "-I", "-J", "impatient", "echo", "never");
            assertEquals(new CadreProcess.Result(1, "",
                    "srun: error: Unable to allocate resources: Requested nodes are busy\n"), r);
            String id = cadre.ok("sacct", "-X", "-n", "-P", "--name", "impatient", "-o", "JobID").out().trim();
            cadre.awaitState(Long.parseLong(id), "CANCELLED", WAIT);

            CadreProcess.Result salloc = cadre.run(Map.of("SLURM_EXIT_IMMEDIATE", "7"), "salloc", "-I2", "echo",
                    "never");
            assertEquals(7, salloc.exit(), salloc.toString());
            assertEquals("", salloc.out());
            assertTrue(salloc.err().startsWith("salloc: Pending job allocation ")
                    && salloc.err().endsWith("salloc: error: Unable to allocate resources: Connection timed out\n"),
                    salloc.err());
        } finally {
            cadre.ok("scancel", "" + busy);
            cadre.awaitState(busy, "CANCELLED", WAIT);
        }
    }

    @Test
    void aBadBeginIsSbatchsErrorAndSubmitsNothing() throws Exception {
        CadreProcess cadre = HEAD.cadre();
        assertEquals(new CadreProcess.Result(1, "", "srun: error: Invalid --begin specification\n"),
                cadre.run("srun", "--begin=someday", "-J", "bad-begin", "true"));
        assertEquals(new CadreProcess.Result(1, "", "salloc: error: Invalid --begin specification\n"),
                cadre.run("salloc", "--begin=someday", "-J", "bad-begin", "true"));
        assertEquals("", cadre.ok("sacct", "-X", "-n", "-P", "--name", "bad-begin", "-o", "JobID").out());
    }
}
