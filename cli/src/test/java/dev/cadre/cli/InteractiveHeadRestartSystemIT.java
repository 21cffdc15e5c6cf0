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
 * the node kills the command for the keepalives' silence. srun --pty at a pseudo-terminal (util-linux's script, whose
 * input is the user's keys) does the same: keys typed after the restart still reach the command, and the session
 * ends with the command's code.
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

    /**
     * Drives a session whose command says its job, answers each line with "got LINE" and exits 5 at "end": a line
     * before the head is killed with SIGKILL and started again, lines after it until one is answered, then "end".
     *
     * @param eol how the command's lines end where they are read: "\r\n" at a terminal
     * @return what the session wrote; its exit and the job's were 5
     */
    private static String rideOutARestart(CadreProcess cadre, Process session, Path out, String eol)
            throws Exception {
        OutputStream in = session.getOutputStream();
        CadreProcess.await("the command to start", WAIT, () -> CadreProcess.read(out).contains("job="));
        line(in, "one");
        CadreProcess.await("the command to answer before the restart", WAIT,
                () -> CadreProcess.read(out).contains("got one" + eol) || !session.isAlive());
        Matcher job = Pattern.compile("job=(\\d+)").matcher(CadreProcess.read(out));
        assertTrue(job.find(), CadreProcess.read(out));
        long id = Long.parseLong(job.group(1));

        cadre.kill9();
        cadre.startHead("server");
        // A line written while srun has no connection may be lost with it: written again until answered.
        CadreProcess.await("the command to answer after the restart", WAIT, Duration.ofSeconds(1), () -> {
            line(in, "two");
            return CadreProcess.read(out).contains("got two" + eol) || !session.isAlive();
        });
        assertTrue(session.isAlive(), "srun ended with the head: " + CadreProcess.read(out));
        line(in, "end");
        assertTrue(session.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), CadreProcess.read(out));
        String said = CadreProcess.read(out);
        assertEquals(5, session.exitValue(), said);
        assertTrue(said.contains("got end" + eol), said);
        assertTrue(said.contains("srun: the connection to the head broke and is back; what the command on h1"
                + " wrote meanwhile may be lost, its input goes on"), said);
        assertFalse(said.contains("input refused"), "input sent again is skipped where it was taken: " + said);
        cadre.awaitState(id, "FAILED", WAIT);
        assertEquals("5:0", cadre.sacct(id).get("exit"), said);
        return said;
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
            rideOutARestart(cadre, srun, out, "\n");
        } finally {
            stop(srun, node, cadre);
        }
    }

    /** srun --pty with its words at a pseudo-terminal made by script, whose input is this test's keys. */
    private static Process ptySession(CadreProcess cadre, Path out, String command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", CadreProcess.ROOT.resolve("bin/srun")
                + " -N1 --pty " + command, "/dev/null").directory(cadre.workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("CADRE_CONFIG", cadre.dataDir.resolve("client.json").toString());
        pb.environment().put("SHELL", "/bin/bash");
        pb.environment().put("TERM", "xterm");
        return pb.start();
    }

    @Test
    void srunPtyAtATerminalRidesOutAHeadKilledAndStartedAgain(@TempDir Path base) throws Exception {
        CadreProcess cadre = new CadreProcess(base);
        cadre.startHead("server");
        Process node = null;
        Process session = null;
        try {
            node = cadre.startNode(base.resolve("n1"), "h1");
            Path out = base.resolve("pty.out");
            // The keys reach the command's terminal, which echoes each line and ends it with \r\n, as ssh's does.
            session = ptySession(cadre, out, "bash -c 'echo job=$SLURM_JOB_ID; while read -r l; do"
                    + " echo \"got $l\"; [ \"$l\" = end ] && exit 5; done; exit 9'");
            String said = rideOutARestart(cadre, session, out, "\r\n");
            assertTrue(said.contains("srun: error: h1: task 0: Exited with exit code 5"), said);
        } finally {
            if (session != null) {
                session.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            stop(session, node, cadre);
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
