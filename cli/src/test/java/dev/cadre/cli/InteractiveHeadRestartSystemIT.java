package dev.cadre.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * srun with piped input, outside a job, whose command keeps reading and answering, while the head it submitted to is
 * killed with SIGKILL and started again on the same data directory ('cadre server' and 'cadre node' as separate
 * processes, the node running on): srun takes the run up again over a new broker connection, the command's output
 * still reaches it, its input still flows (a line lost in the break is sent again, none twice), and srun exits with
 * the command's own code, the job ending with it. A head that stays away ends srun with 255 after its 60 s bound, and
 * the node kills the command for the keepalives' silence.
 */
class InteractiveHeadRestartSystemIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static void line(OutputStream in, String text) {
        try {
            in.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // srun has ended: the assertions that follow say how.
        }
    }

    private static void stop(Process srun, Process node, CadreProcess cadre) throws InterruptedException {
        if (srun != null) {
            srun.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.destroy();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        cadre.stop();
    }

    @Test
    void srunWithPipedInputRidesOutAHeadKilledAndStartedAgain(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server");
        Process node = null;
        Process srun = null;
        try {
            node = cadre.startNode(base.resolve("n1"), "h1");
            Path out = base.resolve("srun.out");
            srun = cadre.startClient(out, "srun", "bash", "-c", "echo job=$SLURM_JOB_ID; while read -r l; do"
                    + " echo \"got $l\"; [ \"$l\" = end ] && exit 5; done; echo eof; exit 9");
            OutputStream in = srun.getOutputStream();
            Process running = srun;
            CadreProcess.await("the command to start", WAIT, () -> CadreProcess.read(out).contains("job="));
            line(in, "one");
            CadreProcess.await("the command to answer before the restart", WAIT,
                    () -> CadreProcess.read(out).contains("got one\n") || !running.isAlive());
            Matcher job = Pattern.compile("job=(\\d+)").matcher(CadreProcess.read(out));
            assertTrue(job.find(), CadreProcess.read(out));
            long id = Long.parseLong(job.group(1));

            cadre.kill9();
            cadre.startHead("server");
            // A line written while srun has no connection may be lost with it: written again until answered.
            CadreProcess.await("the command to answer after the restart", WAIT, Duration.ofSeconds(1), () -> {
                line(in, "two");
                return CadreProcess.read(out).contains("got two\n") || !running.isAlive();
            });
            assertTrue(srun.isAlive(), "srun ended with the head: " + CadreProcess.read(out));
            line(in, "end");
            assertTrue(srun.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), CadreProcess.read(out));
            String said = CadreProcess.read(out);
            assertEquals(5, srun.exitValue(), said);
            assertTrue(said.contains("got end\n"), said);
            assertTrue(said.contains("srun: the connection to the head broke and is back; what the command on h1"
                    + " wrote meanwhile may be lost, its input goes on\n"), said);
            assertFalse(said.contains("input refused"), "input sent again is skipped where it was taken: " + said);
            cadre.awaitState(id, "FAILED", WAIT);
            assertEquals("5:0", cadre.sacct(id).get("exit"), said);
        } finally {
            stop(srun, node, cadre);
        }
    }

    @Test
    void srunGivesUpWith255WhenTheHeadStaysAwayAndTheNodeKillsTheCommand(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        // The node kills a command whose keepalives stop after the node timeout and 5 s: 15 s here.
        cadre.startHead("server", "--node-timeout", "10");
        Process node = null;
        Process srun = null;
        try {
            node = cadre.startNode(base.resolve("n1"), "h1");
            Path out = base.resolve("srun.out");
            srun = cadre.startClient(out, "srun", "bash", "-c", "echo pid=$$; while read -r l; do echo \"got $l\";"
                    + " done");
            Process running = srun;
            CadreProcess.await("the command to start", WAIT, () -> CadreProcess.read(out).contains("pid="));
            Matcher pid = Pattern.compile("pid=(\\d+)").matcher(CadreProcess.read(out));
            assertTrue(pid.find(), CadreProcess.read(out));
            ProcessHandle command = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();

            cadre.kill9();
            // srun's bound is 60 s after the break; the node's 15 s have passed by then.
            assertTrue(running.waitFor(120, TimeUnit.SECONDS), "srun still waits: " + CadreProcess.read(out));
            String said = CadreProcess.read(out);
            assertEquals(255, srun.exitValue(), said);
            assertTrue(said.contains("srun: error: lost the connection to the head at tcp://"), said);
            assertTrue(said.contains(" for 60 s; h1 kills the command"), said);
            CadreProcess.await("the node to kill the command", WAIT, () -> !command.isAlive());
        } finally {
            stop(srun, node, cadre);
        }
    }
}
